resource "rainbond_component" "web" {
  team_id = rainbond_team.shop.id
  region  = "rainbond"
  app_id  = rainbond_app.web.app_id
  name    = "web"
  image   = "nginx:1.27" # a change builds and deploys the new image in place

  envs = { # sensitive, but stored in the state (read back to show drift)
    MODE = "production"
  }

  # Write-only (Terraform 1.11+): never stored; sent again when the version changes.
  envs_wo = {
    DB_PASSWORD = var.db_password
  }
  envs_wo_version = 1

  ports = {
    "80"   = { protocol = "http", outer = true } # open to the gateway
    "9000" = { protocol = "tcp", inner = true, alias = "METRICS" }
  }

  scaling = {
    memory_mib = 512
    cpu        = 500 # millicores; unset, the console derives it from the memory
    instances  = 2
  }
}
