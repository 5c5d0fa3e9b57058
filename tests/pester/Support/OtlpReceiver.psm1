# An OTLP/HTTP logs receiver on a loopback port for the Pester tests of Send-ScoutAuditEvent: it
# keeps each request's decoded records and answers by a script (status, Retry-After, body), then
# 200 {} once the script is used up. It runs in a runspace of its own in the test's process.
# Protobuf bodies (http/protobuf, the forwarder's default) are read with the tests' OTLP decoder,
# tests/ScoutAudit.OtlpDecoder (code protoc generated from the schema), which the build leaves in
# its bin folder; JSON bodies as they are. Answers are JSON, which the forwarder reads by their
# Content-Type whatever it sent.

function Get-OtlpDecoderPath {
    <# The newest build of the tests' OTLP decoder. #>
    $built = Get-ChildItem ([System.IO.Path]::GetFullPath("$PSScriptRoot/../../ScoutAudit.OtlpDecoder/bin")) -Recurse -Filter ScoutAudit.OtlpDecoder.dll -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $built) { throw 'tests/ScoutAudit.OtlpDecoder is not built: build the solution first.' }
    $built.FullName
}

function ConvertFrom-OtlpBody {
    <# A request's body in either encoding as OTLP/JSON text, read by the tests' decoder. #>
    param([Parameter(Mandatory)] [byte[]] $Bytes, [string] $ContentType)
    if (-not ('ScoutAudit.Core.Tests.Otlp.OtlpDecoder' -as [type])) {
        $decoder = Get-OtlpDecoderPath
        # Google.Protobuf once: the module may have loaded it already (the same version, beside ScoutAudit.Core.dll).
        if (-not ([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Google.Protobuf' })) {
            Add-Type -Path (Join-Path (Split-Path $decoder) 'Google.Protobuf.dll')
        }
        Add-Type -Path $decoder
    }
    [ScoutAudit.Core.Tests.Otlp.OtlpDecoder]::DecodeToJson($Bytes, $ContentType)
}

function Start-LoopbackListener {
    <#
    An HTTP listener on a loopback port (-Port, by default a free one) that answers in a runspace of its
    own: each request's context goes to -Answer with the next answer of -Script (200 once it is used up)
    and the listener's state, whose Requests queue -Answer fills. The OTLP receiver here and the plain
    peers of ForwardingPeers.psm1 are such listeners.
    #>
    param([Parameter(Mandatory)] [scriptblock] $Answer, [hashtable[]] $Script = @(), [int] $Port = 0)
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $state = [hashtable]::Synchronized(@{
            Requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
            Script   = [System.Collections.Concurrent.ConcurrentQueue[hashtable]]::new()
        })
    foreach ($next in $Script) { $state.Script.Enqueue($next) }
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
            param($listener, $state, $answerText)
            $answer = [scriptblock]::Create($answerText)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $next = $null
                if (-not $state.Script.TryDequeue([ref] $next)) { $next = @{ Status = 200 } }
                & $answer $context $next $state
            }
        }).AddArgument($listener).AddArgument($state).AddArgument($Answer.ToString())
    $null = $shell.BeginInvoke()
    [pscustomobject]@{ Endpoint = "http://127.0.0.1:$port"; State = $state; Listener = $listener; Shell = $shell }
}

function Stop-LoopbackListener {
    param([Parameter(Mandatory)] $Listener)
    $Listener.Listener.Stop()
    $Listener.Listener.Close()
    $Listener.Shell.Dispose()
}

function Start-OtlpReceiver {
    # -Port: a fixed port (the help's examples show 4318, OTLP/HTTP's own); by default a free one.
    param([hashtable[]] $Script = @(), [int] $Port = 0)
    Start-LoopbackListener -Script $Script -Port $Port -Answer {
        param($context, $answer, $state)
        $stream = $context.Request.InputStream
        if ($context.Request.Headers['Content-Encoding'] -eq 'gzip') {
            $stream = [System.IO.Compression.GZipStream]::new($stream, [System.IO.Compression.CompressionMode]::Decompress)
        }
        $content = [System.IO.MemoryStream]::new()
        $stream.CopyTo($content)
        $state.Requests.Enqueue([pscustomobject]@{
                Path          = $context.Request.Url.AbsolutePath
                ContentType   = $context.Request.ContentType
                Authorization = $context.Request.Headers['Authorization']
                Encoding      = $context.Request.Headers['Content-Encoding']
                Bytes         = $content.ToArray()
                Status        = $answer.Status
                At            = [datetime]::UtcNow
            })
        $response = $context.Response
        $response.StatusCode = $answer.Status
        if ($answer.RetryAfter) { $response.Headers.Add('Retry-After', [string] $answer.RetryAfter) }
        $response.ContentType = 'application/json'
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($(if ($answer.Body) { $answer.Body } else { '{}' }))
        $response.OutputStream.Write($bytes, 0, $bytes.Length)
        $response.Close()
    }
}

function Stop-OtlpReceiver {
    param([Parameter(Mandatory)] $Receiver)
    Stop-LoopbackListener $Receiver
}

function Get-OtlpRequest {
    <# Every request so far, in order of arrival. #>
    param([Parameter(Mandatory)] $Receiver)
    $Receiver.State.Requests.ToArray()
}

function Get-OtlpRecord {
    <#
    The log records of the requests the receiver acknowledged (status 2xx), in order: each with its
    attributes as a hashtable of plain values (intValue as [long]) and its eventName.
    #>
    param([Parameter(Mandatory)] $Receiver)
    foreach ($request in @(Get-OtlpRequest $Receiver | Where-Object { $_.Status -ge 200 -and $_.Status -lt 300 })) {
        $export = ConvertFrom-OtlpBody -Bytes $request.Bytes -ContentType $request.ContentType | ConvertFrom-Json -AsHashtable
        foreach ($record in $export.resourceLogs[0].scopeLogs[0].logRecords) {
            $attributes = @{}
            foreach ($attribute in $record.attributes) {
                $value = $attribute.value
                $attributes[$attribute.key] = if ($value.ContainsKey('intValue')) { [long] $value.intValue }
                elseif ($value.ContainsKey('doubleValue')) { [double] $value.doubleValue }
                elseif ($value.ContainsKey('arrayValue')) { @($value.arrayValue.values | ForEach-Object { $_.stringValue }) }
                else { $value.Values | Select-Object -First 1 }
            }
            [pscustomobject]@{ EventName = $record.eventName; Attributes = $attributes; Resource = $export.resourceLogs[0].resource }
        }
    }
}

Export-ModuleMember -Function Start-OtlpReceiver, Stop-OtlpReceiver, Get-OtlpRequest, Get-OtlpRecord, Start-LoopbackListener, Stop-LoopbackListener
