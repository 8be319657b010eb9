-- wrk script of the soak test (soak/run-soak.sh): cycles over requests for
-- every kind of rule of soak/httpd.conf.in and checks each response.
--
--   kind   request                      expected answer
--   pre    /soak/pre/<w>/<n>            307 https://pre.example/g<G>/<w>/<n>
--   re     /soak/re/<w>/<n>             307 https://re.example/g<G>/<n>/<w>?x=<w>
--   map    /soak/map/<n>                307 https://map.example/g<G>/<n>
--   loc    /soak/loc/<w>?q=<n>          307 https://loc.example/g<G>/soak/loc/<w>?q=<n>
--   none   /soak/static.html            200 (no rule matches)
--
-- <G> is the generation of the rules (it changes at every graceful restart).
-- wrk cannot tell which request a response belongs to, so each response is
-- classified by its own status and Location; done() prints, over all
-- threads, the requests sent and the responses per kind, every other status
-- and every Location that fits no pattern, and responses per generation.

local kinds = { "pre", "re", "map", "loc", "none" }
local patterns = {
   pre = "^https://pre%.example/g(%d+)/w%d+/%d+$",
   re  = "^https://re%.example/g(%d+)/%d+/w%d+%?x=w%d+$",
   map = "^https://map%.example/g(%d+)/%d+$",
   loc = "^https://loc%.example/g(%d+)/soak/loc/w%d+%?q=%d+$",
}
local reqs, reqkind = {}, {}
local n, i = 0, 0

sent, got, unexpected, badloc, gens = {}, {}, {}, {}, {}
badloc_sample = ""

-- wrk ... -s soak/soak.lua -- PACE: PACE milliseconds between a response
-- and the next request on each connection (default 0: none)
function init(args)
   local pace = tonumber(args[1] or "0") or 0
   if pace > 0 then
      delay = function() return pace end
   end
   for k = 1, 1000 do
      local kind = kinds[(k % #kinds) + 1]
      local path
      if kind == "pre" then
         path = string.format("/soak/pre/w%d/%d", k, k * 3)
      elseif kind == "re" then
         path = string.format("/soak/re/w%d/%d", k, k * 7)
      elseif kind == "map" then
         path = string.format("/soak/map/%d", (k * 7919) % 10000 + 1)
      elseif kind == "loc" then
         path = string.format("/soak/loc/w%d?q=%d", k, k)
      else
         path = "/soak/static.html"
      end
      n = n + 1
      reqs[n] = wrk.format("GET", path)
      reqkind[n] = kind
   end
   for _, kind in ipairs(kinds) do
      sent[kind], got[kind] = 0, 0
   end
end

function request()
   i = i % n + 1
   local kind = reqkind[i]
   sent[kind] = sent[kind] + 1
   return reqs[i]
end

function response(status, headers, body)
   if status == 200 then
      got.none = got.none + 1
      return
   end
   if status ~= 307 then
      unexpected[status] = (unexpected[status] or 0) + 1
      return
   end
   local loc = headers["Location"] or ""
   local host = loc:match("^https://(%a+)%.example/")
   local pattern = host and patterns[host]
   local gen = pattern and loc:match(pattern)
   if gen then
      got[host] = got[host] + 1
      gens[gen] = (gens[gen] or 0) + 1
   else
      badloc.count = (badloc.count or 0) + 1
      if #badloc_sample < 2000 then
         badloc_sample = badloc_sample .. " [" .. loc .. "]"
      end
   end
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local function add(into, from)
   for k, v in pairs(from) do
      into[k] = (into[k] or 0) + v
   end
end

function done(summary, latency, requests)
   local s, g, u, b, gn = {}, {}, {}, {}, {}
   local sample = ""
   for _, t in ipairs(threads) do
      add(s, t:get("sent"))
      add(g, t:get("got"))
      add(u, t:get("unexpected"))
      add(b, t:get("badloc"))
      add(gn, t:get("gens"))
      sample = sample .. t:get("badloc_sample")
   end
   local function line(name, tbl, keys)
      local out = {}
      if not keys then
         keys = {}
         for k in pairs(tbl) do table.insert(keys, k) end
         table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
      end
      for _, k in ipairs(keys) do
         table.insert(out, string.format("%s=%d", tostring(k), tbl[k] or 0))
      end
      io.write(string.format("soak-lua: %s %s\n", name, table.concat(out, " ")))
   end
   local e = summary.errors
   io.write(string.format("soak-lua: completed %d duration_us %d\n",
                          summary.requests, summary.duration))
   io.write(string.format("soak-lua: errors connect=%d read=%d write=%d status=%d timeout=%d\n",
                          e.connect, e.read, e.write, e.status, e.timeout))
   line("sent", s, kinds)
   line("got", g, kinds)
   line("unexpected", u)
   io.write(string.format("soak-lua: badloc %d%s\n", b.count or 0, sample))
   line("generations", gn)
   io.write(string.format("soak-lua: latency_us p50=%d p99=%d max=%d\n",
                          latency:percentile(50), latency:percentile(99),
                          latency.max))
end
