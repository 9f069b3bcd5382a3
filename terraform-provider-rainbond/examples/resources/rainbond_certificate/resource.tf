resource "rainbond_certificate" "shop" {
  team_id     = rainbond_team.shop.id
  alias       = "shop"
  certificate = file("cert.pem")
  private_key = file("key.pem") # write-only: never stored in the state
}
