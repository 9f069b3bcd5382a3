data "rainbond_market_app_versions" "web" {
  team_id = rainbond_team.shop.id
  region  = "rainbond"
  app_id  = rainbond_app.web.app_id
}

# The newest version the store offers for each installed model.
output "latest" {
  value = { for m in data.rainbond_market_app_versions.web.models : m.app_model_id => m.latest }
}
