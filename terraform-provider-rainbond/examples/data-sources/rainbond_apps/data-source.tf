data "rainbond_apps" "shop" {
  team_id = rainbond_team.shop.id
  region  = "rainbond"
  name    = "web-shop"
}
