resource "rainbond_team" "shop" {
  display_name = "shop"
  regions      = ["rainbond"]
}
