from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saferplaces.privacy"
    label = "privacy"
    verbose_name = "Residents' personal data (UK GDPR)"

    def ready(self) -> None:
        from saferplaces.core.home_panels import PublicService, public_service_register

        public_service_register(
            "privacy",
            PublicService(
                title="Get a copy of your data or delete it",
                url_name="privacy:request",
                description=(
                    "See what we hold about you from the forms on this site, download it, "
                    "or ask us to delete it."
                ),
                order=90,
            ),
        )
