"""Directory sign-in (LDAP / Active Directory): an authenticator the login route asks before local passwords."""
