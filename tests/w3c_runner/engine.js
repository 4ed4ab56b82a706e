// The "engine" rdf-test-suite asks for. Protocol tests only talk to the endpoint given with
// -i '{"protocolEndpoint": ...}', so this module runs no queries; it only gives every request
// the endpoint's bearer token (KG_TEST_TOKEN), which updates and data loading need.
const token = process.env.KG_TEST_TOKEN;
const plainFetch = globalThis.fetch;
globalThis.fetch = (input, init = {}) => {
  if (!token || !String(input.url || input).startsWith('http')) {
    return plainFetch(input, init);
  }
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return plainFetch(input, { ...init, headers });
};

module.exports = {
  parse() { throw new Error('not a query engine: protocol tests only'); },
  query() { throw new Error('not a query engine: protocol tests only'); },
};
