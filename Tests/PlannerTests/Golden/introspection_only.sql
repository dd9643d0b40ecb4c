-- answered without SQL
{"__schema":{"queryType":{"name":"query_root"},"mutationType":{"name":"mutation_root"},"subscriptionType":{"name":"subscription_root"}},"__typename":"query_root"}
