"""Tests of the local OrderMesh sandbox, over real HTTP."""
