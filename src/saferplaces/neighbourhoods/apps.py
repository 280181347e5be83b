from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "saferplaces.neighbourhoods"
    label = "neighbourhoods"
    verbose_name = "Neighbourhood profiles"
