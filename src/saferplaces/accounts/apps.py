from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferplaces.accounts"
    label = "accounts"
    verbose_name = "Accounts and partnerships"

    def ready(self) -> None:
        from saferplaces.accounts import signals  # noqa: F401
