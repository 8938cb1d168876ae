-- wrk script: POSTs pre-signed Stripe webhooks (see make-stripe-requests.py), each thread from
-- its own file so no two threads send the same event. Path from the WRK_PATH environment.
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("WRK_PATH") or "/webhooks/stripe"
  local prefix = os.getenv("WRK_REQUESTS") or "requests"
  requests = {}
  for line in io.lines(prefix .. "." .. id .. ".txt") do
    local sig, body = line:match("^([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", path,
      { ["Content-Type"] = "application/json", ["Stripe-Signature"] = sig }, body)
  end
  index = 0
  non2xx = 0
end

function request()
  index = index + 1
  if index > #requests then index = 1 end
  return requests[index]
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests_)
  for _, thread in ipairs(threads) do
    local n = thread:get("non2xx")
    io.write(string.format("thread %d: non-2xx answers: %d\n", thread:get("id"), n or 0))
  end
end
