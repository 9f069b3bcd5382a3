# A team is imported by its tenant_id.
terraform import rainbond_team.shop 82bfa8d7246d6151b8b4201fc3539cf9
