"""Apache Airflow provider for OrderMesh.

Importing the package is cheap on purpose (DAG parsing pays for every import): the client,
hook, operators and sensors live in their own subpackages and load only when used.
"""

__version__ = "0.1.0"
