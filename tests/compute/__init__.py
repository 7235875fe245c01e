"""Tests of stage 4, compute."""
