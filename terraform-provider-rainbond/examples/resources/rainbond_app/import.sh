# team_id/region/app_id
terraform import rainbond_app.web 82bfa8d7246d6151b8b4201fc3539cf9/rainbond/12
