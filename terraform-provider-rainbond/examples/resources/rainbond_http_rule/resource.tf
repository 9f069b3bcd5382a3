resource "rainbond_http_rule" "shop" {
  team_id        = rainbond_team.shop.id
  region         = "rainbond"
  app_id         = rainbond_app.web.app_id
  service_id     = rainbond_component.web.service_id
  container_port = 80
  domain_name    = "shop.example.com"
  domain_path    = "/"
  certificate_id = rainbond_certificate.shop.certificate_id # HTTPS
}
