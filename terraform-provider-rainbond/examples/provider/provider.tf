terraform {
  required_providers {
    rainbond = {
      source = "rbdkit/rainbond"
    }
  }
}

# url and token default to RAINBOND_URL and RAINBOND_TOKEN.
provider "rainbond" {
  url     = "http://192.168.2.225:7070"
  retries = 2     # calls that are safe to repeat; a create never is
  timeout = "30s" # per attempt
}
