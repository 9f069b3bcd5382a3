# A team, an app, an nginx component and an HTTPS domain for it, managed by
# the Rainbond provider (terraform-provider-rainbond in this repository).
# README.md beside this file runs it against `rainbond fake-console`.

terraform {
  required_version = ">= 1.11" # the private key is a write-only attribute
  required_providers {
    rainbond = {
      source = "rbdkit/rainbond"
    }
  }
}

variable "rainbond_url" {
  description = "The console's address; null uses RAINBOND_URL."
  type        = string
  default     = null
}

variable "rainbond_token" {
  description = "A personal access token; null uses RAINBOND_TOKEN."
  type        = string
  default     = null
  sensitive   = true
}

variable "region" {
  description = "The region (region_name) to open the team in."
  type        = string
  default     = "rainbond"
}

variable "domain" {
  description = "The domain to publish the component under; the certificate must cover it."
  type        = string
  default     = "shop.example.com"
}

variable "certificate_pem" {
  description = "The PEM certificate; empty reads certificate_file."
  type        = string
  default     = ""
}

variable "private_key_pem" {
  description = "The PEM private key; empty reads private_key_file."
  type        = string
  default     = ""
  sensitive   = true
}

variable "certificate_file" {
  description = "A file holding the PEM certificate, when certificate_pem is empty."
  type        = string
  default     = "cert.pem"
}

variable "private_key_file" {
  description = "A file holding the PEM private key, when private_key_pem is empty."
  type        = string
  default     = "key.pem"
}

locals {
  certificate = var.certificate_pem != "" ? var.certificate_pem : file(var.certificate_file)
  private_key = var.private_key_pem != "" ? var.private_key_pem : file(var.private_key_file)
}

provider "rainbond" {
  url   = var.rainbond_url
  token = var.rainbond_token
}

resource "rainbond_team" "shop" {
  display_name = "shop"
  regions      = [var.region]
}

resource "rainbond_app" "web" {
  team_id = rainbond_team.shop.id
  region  = var.region
  name    = "web-shop"
  note    = "managed by Terraform"
}

resource "rainbond_component" "web" {
  team_id = rainbond_team.shop.id
  region  = var.region
  app_id  = rainbond_app.web.app_id
  name    = "web"
  image   = "nginx:1.27"

  envs = {
    NGINX_ENTRYPOINT_QUIET_LOGS = "1"
  }

  ports = {
    "80" = { protocol = "http", outer = true } # open to the gateway, for the HTTP rule
  }

  scaling = {
    memory_mib = 256
    instances  = 1
  }
}

resource "rainbond_certificate" "shop" {
  team_id     = rainbond_team.shop.id
  alias       = "shop"
  certificate = local.certificate
  private_key = local.private_key
}

resource "rainbond_http_rule" "shop" {
  team_id        = rainbond_team.shop.id
  region         = var.region
  app_id         = rainbond_app.web.app_id
  service_id     = rainbond_component.web.service_id
  container_port = 80
  domain_name    = var.domain
  certificate_id = rainbond_certificate.shop.certificate_id
}

output "team_name" {
  description = "The team's generated tenant_name."
  value       = rainbond_team.shop.tenant_name
}

output "url" {
  description = "The address the component is published at."
  value       = rainbond_http_rule.shop.url
}
