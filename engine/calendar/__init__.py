"""Working time and dates: office hours, closed days, WITA and Indonesian names."""
