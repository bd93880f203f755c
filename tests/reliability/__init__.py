"""Reliability tests: bad input, faults and interruptions never cost a byte."""
