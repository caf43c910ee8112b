"""Marshmallow schemas of every JSON body the API reads or writes; the
OpenAPI document is generated from them."""
