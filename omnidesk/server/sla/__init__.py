"""SLA policies, business calendars, each conversation's due times, and the timer worker."""
