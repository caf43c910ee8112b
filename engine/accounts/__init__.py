"""Accounts: who may do what, signing in, users and agencies, acting officials, host accounts."""
