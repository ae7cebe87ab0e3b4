"""Retention and data-subject requests: policies that delete or anonymise old messages, legal holds, the audit log's
own retention, and the export or erasure of one customer's data."""
