import GoRules
