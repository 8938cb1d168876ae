curl -X POST 'https://example.com/webhooks/github' \
  -H 'Content-Type: application/json' -H "X-GitHub-Event: ping" \
  --data-raw '{"zen":"Keep it logically awesome.","hook_id":1}'
curl https://example.com/webhooks/plain -d a=1 -d 'b=2 3' --data-urlencode 'c=ü&' -u user:pass -G -s
curl --json '{"x":$VALUE}' https://example.com/x
