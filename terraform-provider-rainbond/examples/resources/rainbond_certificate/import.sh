# team_id/certificate_id; private_key cannot be read back and stays as configured.
terraform import rainbond_certificate.shop 82bfa8d7246d6151b8b4201fc3539cf9/3
