# The other parties of a forwarder's connection for the Pester tests of Send-ScoutAuditEvent, beside
# the OTLP receiver (OtlpReceiver.psm1): a plain loopback HTTP server that decodes nothing and answers
# by a script (a redirect with its Location, a slow answer), and an HTTP proxy that asks for
# credentials. Each runs in a runspace of its own in the test's process.

# The listener these peers run on is the OTLP receiver's (Start-LoopbackListener).
Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/OtlpReceiver.psm1"))

function Start-LoopbackPeer {
    <#
    Answers each request by the next of -Script (Status, Location, Delay in seconds), then 200 {}
    once the script is used up; keeps each request's method, path and Authorization header.
    #>
    param([hashtable[]] $Script = @())
    Start-LoopbackListener -Script $Script -Answer {
        param($context, $answer, $state)
        $context.Request.InputStream.CopyTo([System.IO.Stream]::Null)
        $state.Requests.Enqueue([pscustomobject]@{
                Method        = $context.Request.HttpMethod
                Path          = $context.Request.Url.AbsolutePath
                Authorization = $context.Request.Headers['Authorization']
            })
        if ($answer.Delay) { Start-Sleep -Seconds $answer.Delay }
        try {
            $response = $context.Response
            $response.StatusCode = $answer.Status
            if ($answer.Location) { $response.RedirectLocation = $answer.Location }
            $response.ContentType = 'application/json'
            $bytes = [System.Text.Encoding]::UTF8.GetBytes('{}')
            $response.OutputStream.Write($bytes, 0, $bytes.Length)
            $response.Close()
        }
        catch {
            # The forwarder gave up waiting (a delayed answer): serve the next request.
            $null = $_
        }
    }
}

function Get-LoopbackPeerRequest {
    <# Every request so far, in order of arrival. #>
    param([Parameter(Mandatory)] $Peer)
    $Peer.State.Requests.ToArray()
}

function Stop-LoopbackPeer {
    param([Parameter(Mandatory)] $Peer)
    Stop-LoopbackListener $Peer
}

function Start-TestProxy {
    <#
    An HTTP proxy on a loopback port that forwards nothing: it keeps each request's line and
    Proxy-Authorization header and answers 200 {} itself. With -RequireAuthentication, a request
    without Proxy-Authorization gets 407 with a Basic challenge, as a real proxy answers.
    #>
    param([switch] $RequireAuthentication)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $state = [hashtable]::Synchronized(@{ Requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new() })
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
            param($listener, $state, $requireAuthentication)
            while ($true) {
                try { $client = $listener.AcceptTcpClient() } catch { break }
                try {
                    $stream = $client.GetStream()
                    $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII)
                    $line = $reader.ReadLine()
                    $headers = @{}
                    while (($header = $reader.ReadLine())) {
                        $colon = $header.IndexOf(':')
                        $headers[$header.Substring(0, $colon).Trim()] = $header.Substring($colon + 1).Trim()
                    }
                    if ($headers['Content-Length']) {
                        $body = [char[]]::new([int] $headers['Content-Length'])
                        $read = 0
                        while ($read -lt $body.Length) { $read += $reader.Read($body, $read, $body.Length - $read) }
                    }
                    $state.Requests.Enqueue([pscustomobject]@{ Line = $line; ProxyAuthorization = $headers['Proxy-Authorization'] })
                    $answer = if ($requireAuthentication -and -not $headers['Proxy-Authorization']) {
                        "HTTP/1.1 407 Proxy Authentication Required`r`nProxy-Authenticate: Basic realm=`"test`"`r`nContent-Length: 0`r`nConnection: close`r`n`r`n"
                    }
                    else {
                        "HTTP/1.1 200 OK`r`nContent-Type: application/json`r`nContent-Length: 2`r`nConnection: close`r`n`r`n{}"
                    }
                    $bytes = [System.Text.Encoding]::ASCII.GetBytes($answer)
                    $stream.Write($bytes, 0, $bytes.Length)
                    $stream.Flush()
                }
                catch { $null = $_ }
                finally { $client.Dispose() }
            }
        }).AddArgument($listener).AddArgument($state).AddArgument([bool] $RequireAuthentication)
    $null = $shell.BeginInvoke()
    [pscustomobject]@{ Uri = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"; State = $state; Listener = $listener; Shell = $shell }
}

function Stop-TestProxy {
    param([Parameter(Mandatory)] $Proxy)
    $Proxy.Listener.Stop()
    $Proxy.Shell.Dispose()
}

Export-ModuleMember -Function Start-LoopbackPeer, Get-LoopbackPeerRequest, Stop-LoopbackPeer, Start-TestProxy, Stop-TestProxy
