<#
.SYNOPSIS
    Writes under each PowerShell example of the given help pages the output it gives, as an
    `output` block: what a user sees at an 80-column console (warnings and errors included).

.DESCRIPTION
    Each example runs as tests/pester/Documentation.Tests.ps1 runs it: verbatim, in a fresh child
    pwsh with a temporary HOME and a default log seeded with four events of the last two hours.
    The stage's folders are shown as a user's (/home/user, ~/.scout/audit.jsonl), and an earlier
    output block is replaced, so running it again refreshes the pages. Times and session ids are
    those of the run. Build first (dotnet build), as the tests do. The examples reach an OTLP
    collector at http://127.0.0.1:4318 (OTLP/HTTP's port, where an OpenTelemetry Collector agent
    on the machine listens): the tests' receiver, named by $env:OTEL_EXPORTER_OTLP_ENDPOINT as
    Documentation.Tests names it.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-ExampleOutput.ps1 -Page docs/en-US/Get-ScoutAuditSpend.md,docs/en-US/Get-ScoutAuditAccuracy.md
#>
param([Parameter(Mandatory)] [string[]] $Page)
# pwsh -File passes "a,b" as one string: split it as the command line meant it.
$Page = @($Page | ForEach-Object { $_ -split "," })

$root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..'))
Import-Module (Join-Path $root 'tests/pester/Support/ScoutAuditTestSupport.psm1') -Force
Import-Module (Join-Path $root 'tests/pester/Support/OtlpReceiver.psm1') -Force
$manifest = Join-Path $root 'module/ScoutAudit.psd1'

function New-Stage {
    # The stage's home is as long as /home/user, so that text wrapped at 80 columns around a path
    # wraps the same once the path is shown as the user's.
    do { $stage = '/tmp/u' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant() } while (Test-Path -LiteralPath $stage)
    $null = New-Item -ItemType Directory $stage, (Join-Path $stage 'work'), (Join-Path $stage '.scout')
    $log = Join-Path $stage '.scout/audit.jsonl'
    Set-ScoutAuditLogContent -Path $log -Line (Get-ExampleSeedLine)
    # As the module makes a log: the user's alone.
    [IO.File]::SetUnixFileMode($log, [IO.UnixFileMode]'UserRead, UserWrite')
    [IO.File]::SetUnixFileMode($stage, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    [IO.File]::SetUnixFileMode((Join-Path $stage '.scout'), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    [pscustomobject]@{ Root = $stage; Home = $stage; Work = Join-Path $stage 'work'; Log = $log }
}

function Get-ExampleOutput([string] $Code) {
    $stage = New-Stage
    try {
        $script = Join-Path $stage.Root 'example.ps1'
        Set-Content $script -Value ("Import-Module '$manifest'`n" + $Code)
        $run = Invoke-ChildPwsh -ArgumentList '-File', $script -WorkingDirectory $stage.Work -Environment @{
            HOME = $stage.Home; SCOUT_AUDIT_PATH = $stage.Log; COLUMNS = '80'; TERM = 'dumb'; OTEL_EXPORTER_OTLP_ENDPOINT = $collector.Endpoint
        }
        $text = ($run.StdOut + $run.StdErr) -replace "`e\[[0-9;]*m", ''
        $text = $text.Replace($stage.Root, '/home/user')
        # Blank lines at either end are the host's framing, not the example's output.
        ($text -replace "`r`n", "`n").Trim("`n")
    }
    finally {
        Remove-Item -LiteralPath $stage.Root -Recurse -Force -ErrorAction SilentlyContinue
    }
}

$collector = Start-OtlpReceiver -Port 4318
try {
    foreach ($path in $Page) {
        $lines = [Collections.Generic.List[string]]((Get-Content -LiteralPath $path) -replace "`r$", '')
        $i = 0
        $inExamples = $false
        while ($i -lt $lines.Count) {
            if ($lines[$i] -match '^## ') { $inExamples = $lines[$i] -eq '## EXAMPLES' }
            if (-not ($inExamples -and $lines[$i] -eq '```powershell')) { $i++; continue }
            $start = $i
            $i++
            while ($lines[$i] -ne '```') { $i++ }
            $code = ($lines[($start + 1)..($i - 1)] -join "`n") + "`n"
            $i++
            # An earlier output block right after the example is replaced.
            $next = $i
            while ($next -lt $lines.Count -and $lines[$next] -eq '') { $next++ }
            if ($next -lt $lines.Count -and $lines[$next] -eq '```output') {
                $end = $next + 1
                while ($lines[$end] -ne '```') { $end++ }
                $lines.RemoveRange($i, $end - $i + 1)
            }
            $output = Get-ExampleOutput $code
            if ($output -eq '') { $output = '(no output)' }
            $block = @('', '```output') + ($output -split "`n") + @('```')
            $lines.InsertRange($i, [string[]]$block)
            $i += $block.Count
            Write-Host "$path`: example at line $($start + 1): $(($output -split "`n").Count) lines"
        }
        [IO.File]::WriteAllText((Resolve-Path -LiteralPath $path).ProviderPath, ($lines -join "`n") + "`n")
    }
}
finally {
    Stop-OtlpReceiver $collector
}
