# team_id/region/app_id/app_model_id; the version is taken from the console's record.
terraform import rainbond_app_install.wordpress 82bfa8d7246d6151b8b4201fc3539cf9/rainbond/12/3d2c1b0a9f8e7d6c
