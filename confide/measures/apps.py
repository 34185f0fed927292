from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "confide.measures"
    label = "measures"
    verbose_name = "Measures (PHQ-9, GAD-7, PCL-5)"
