# Serve the site folder beside this script at http://localhost:PORT/ and open it in the browser.
# Windows PowerShell 5.1 only (System.Net.HttpListener): nothing to install. Close the window to stop.
# Answers only this computer (localhost), only reads, and never leaves the site folder.
$ErrorActionPreference = 'Stop'
$root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot 'site'))
if (-not (Test-Path (Join-Path $root 'index.html'))) {
  Write-Host "No site found in $root - unzip the whole preview first."
  exit 1
}
$types = @{
  '.html' = 'text/html; charset=utf-8'; '.css' = 'text/css; charset=utf-8'; '.js' = 'text/javascript; charset=utf-8'
  '.json' = 'application/json'; '.svg' = 'image/svg+xml'; '.png' = 'image/png'; '.jpg' = 'image/jpeg'
  '.ico' = 'image/x-icon'; '.woff2' = 'font/woff2'; '.xml' = 'application/xml'; '.txt' = 'text/plain; charset=utf-8'
  '.csv' = 'text/csv; charset=utf-8'; '.pdf' = 'application/pdf'; '.zip' = 'application/zip'; '.gz' = 'application/gzip'
  '.xlsx' = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
}
$listener = $null
foreach ($candidate in 8000..8050) {
  try {
    $listener = New-Object System.Net.HttpListener
    $listener.Prefixes.Add("http://localhost:$candidate/")
    $listener.Start()
    $port = $candidate
    break
  } catch {
    $listener = $null
  }
}
if ($null -eq $listener) {
  Write-Host 'No free port between 8000 and 8050.'
  exit 1
}
$url = "http://localhost:$port/"
Write-Host "Preview: $url (close this window to stop)"
Start-Process $url
while ($listener.IsListening) {
  $context = $listener.GetContext()
  $response = $context.Response
  try {
    $path = [System.Uri]::UnescapeDataString($context.Request.Url.AbsolutePath)
    $file = [System.IO.Path]::GetFullPath((Join-Path $root $path.TrimStart('/')))
    if (-not $file.StartsWith($root, [System.StringComparison]::OrdinalIgnoreCase)) {
      $response.StatusCode = 403
    } elseif ((Test-Path -LiteralPath $file -PathType Container) -and -not $path.EndsWith('/')) {
      $response.StatusCode = 301
      $response.RedirectLocation = $path + '/'
    } else {
      if (Test-Path -LiteralPath $file -PathType Container) { $file = Join-Path $file 'index.html' }
      if (Test-Path -LiteralPath $file -PathType Leaf) {
        $extension = [System.IO.Path]::GetExtension($file).ToLowerInvariant()
        $type = $types[$extension]
        if ($null -eq $type) { $type = 'application/octet-stream' }
      } else {
        $response.StatusCode = 404
        $file = Join-Path $root '404.html'
        $type = 'text/html; charset=utf-8'
      }
      if (Test-Path -LiteralPath $file -PathType Leaf) {
        $bytes = [System.IO.File]::ReadAllBytes($file)
        $response.ContentType = $type
        $response.ContentLength64 = $bytes.Length
        $response.OutputStream.Write($bytes, 0, $bytes.Length)
      }
    }
  } catch {
    $response.StatusCode = 500
  } finally {
    $response.Close()
  }
}
