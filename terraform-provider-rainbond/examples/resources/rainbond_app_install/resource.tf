resource "rainbond_app_install" "wordpress" {
  team_id       = rainbond_team.shop.id
  region        = "rainbond"
  app_id        = rainbond_app.web.app_id
  market_url    = "https://store.goodrain.com"
  market_domain = "rainbond"
  app_model_id  = "3d2c1b0a9f8e7d6c"
  version       = "6.5" # a change upgrades in place (Apps.UpgradeModelTo)
}
