resource "rainbond_component" "web" {
  team_id = rainbond_team.shop.id
  region  = "rainbond"
  app_id  = rainbond_app.web.app_id
  name    = "web"
  image   = "nginx:1.27" # a change builds and deploys the new image in place

  envs = {
    MODE = "production"
  }

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
