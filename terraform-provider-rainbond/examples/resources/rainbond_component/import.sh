# team_id/region/app_id/service_id. The import reads no variable: envs stays unset in
# the state, and the first apply sends only the configured variables whose value differs.
terraform import rainbond_component.web 82bfa8d7246d6151b8b4201fc3539cf9/rainbond/12/a1523db43816f4ce7dd422ce8b55ec55
