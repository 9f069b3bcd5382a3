data "rainbond_app_components" "installed" {
  team_id = rainbond_team.shop.id
  region  = "rainbond"
  app_id  = rainbond_app.web.app_id
}

output "running" {
  value = [for c in data.rainbond_app_components.installed.components : c.name if c.status == "running"]
}
