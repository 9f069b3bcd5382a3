data "rainbond_teams" "ops" {
  display_name = "ops"
}

output "ops_team_id" {
  value = one(data.rainbond_teams.ops.teams[*].tenant_id)
}
