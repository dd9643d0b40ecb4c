-- answered without SQL
{"__schema":{"queryType":{"name":"query_root"},"mutationType":{"name":"mutation_root"},"subscriptionType":null},"__typename":"query_root"}
