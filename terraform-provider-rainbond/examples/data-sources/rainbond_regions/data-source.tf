data "rainbond_regions" "all" {}

output "region_names" {
  value = data.rainbond_regions.all.regions[*].region_name
}
