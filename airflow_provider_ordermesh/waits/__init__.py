"""What a status wait decides: the batched queries and the verdict on progress, shared by sensors and triggers.

No Airflow import: sensors (in a worker) and triggers (in the triggerer) stand side by side above it.
"""
