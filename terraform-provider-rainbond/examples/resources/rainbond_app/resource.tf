resource "rainbond_app" "web" {
  team_id = rainbond_team.shop.id
  region  = "rainbond"
  name    = "web-shop"
  note    = "managed by Terraform"
}
