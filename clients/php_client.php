<?php
// One request with PHP's cURL extension, following redirects
// (CURLOPT_FOLLOWLOCATION), for clients/php_client.py.
//
//   php php_client.php SPEC.json
//
// SPEC: {"url", "method", "style", "body_file", "content_type", "cafile"}
// style "postfields": CURLOPT_POSTFIELDS (a POST, or CURLOPT_CUSTOMREQUEST
//   with the body in CURLOPT_POSTFIELDS for any other method);
// style "upload": CURLOPT_UPLOAD with CURLOPT_INFILE (libcurl's own PUT).
// Prints one JSON object: cURL's errno/error, the final status, HTTP
// version and redirect count, and the final response body (base64).

$spec = json_decode(file_get_contents($argv[1]), true);
$body = file_get_contents($spec['body_file']);

$ch = curl_init($spec['url']);
$opts = [
    CURLOPT_FOLLOWLOCATION => true,
    CURLOPT_MAXREDIRS => 3,
    CURLOPT_RETURNTRANSFER => true,
    CURLOPT_TIMEOUT => 20,
    CURLOPT_CAINFO => $spec['cafile'],
    CURLOPT_HTTPHEADER => ['Content-Type: ' . $spec['content_type']],
];
if ($spec['style'] === 'upload') {
    $in = fopen('php://temp', 'w+b');
    fwrite($in, $body);
    rewind($in);
    $opts[CURLOPT_UPLOAD] = true;          // PUT
    $opts[CURLOPT_INFILE] = $in;
    $opts[CURLOPT_INFILESIZE] = strlen($body);
} else {
    if ($spec['method'] !== 'POST') {
        $opts[CURLOPT_CUSTOMREQUEST] = $spec['method'];
    }
    $opts[CURLOPT_POSTFIELDS] = $body;     // a string: sent as is
}
if (!empty($spec['http_version'])) {
    $opts[CURLOPT_HTTP_VERSION] = $spec['http_version'] === '1.1'
        ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2TLS;
}
curl_setopt_array($ch, $opts);

$response = curl_exec($ch);
$versions = [CURL_HTTP_VERSION_1_0 => '1.0', CURL_HTTP_VERSION_1_1 => '1.1',
             CURL_HTTP_VERSION_2_0 => '2'];
$v = curl_getinfo($ch, CURLINFO_HTTP_VERSION);
echo json_encode([
    'errno' => curl_errno($ch),
    'error' => curl_error($ch),
    'status' => curl_getinfo($ch, CURLINFO_RESPONSE_CODE),
    'http_version' => $versions[$v] ?? (string)$v,
    'redirects' => curl_getinfo($ch, CURLINFO_REDIRECT_COUNT),
    'final_url' => curl_getinfo($ch, CURLINFO_EFFECTIVE_URL),
    'body_base64' => $response === false ? null : base64_encode($response),
]), "\n";
curl_close($ch);
