"""The assistant's core: answers, NLRA rules, disclaimers, templates and the command line."""
