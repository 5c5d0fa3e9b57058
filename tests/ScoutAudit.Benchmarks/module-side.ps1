# ScoutAudit's side of the benchmark rows that go through PowerShell, run in real pwsh (the
# PowerShell 7.6.9 tool of .config/dotnet-tools.json) by ModuleWorkloads.cs, one process per round.
# Prints "<milliseconds of the timed part alone, by a Stopwatch in this process> <count>".
#
#   pipeline     $events | Write-ScoutAuditEvent of <Count> objects, then Close-ScoutAuditLog
#   runbook      foreach ($e in $events) { Write-ScoutAuditEvent ... }, then Close-ScoutAuditLog
#   query        Get-ScoutAuditEvent -Event nav over the file <Log>
#   query-peer   Get-Content | ConvertFrom-Json | Where-Object Event -eq nav over the same file
#   count        (Get-ScoutAuditEvent -Event nav -Path <Log> | Measure-Object).Count, <Count> times; the last one's time
#   count-json   (Get-Content <Log> | ConvertFrom-Json | Where-Object Event -eq nav | Measure-Object).Count, likewise
#   count-select (Select-String -Path <Log> -SimpleMatch '"event": "nav"' | Measure-Object).Count, likewise
#   headline     Get-ScoutAuditEvent -Since <Since> -Path <Log> | Where-Object Event -eq nav, <Count> times
#                in this process; the time of the last one (1: the first query of a session)
#   verify       Test-ScoutAuditLog -Path <Log>, <Count> times; the time of the last one, and the bytes it read
#                (it must find the log Verified)
#   report       Export-ScoutAuditReport of the 30 days from <Since> of <Log>; the page's size in bytes
#   spend-by-day Get-ScoutAuditSpend -By Day over the same 30 days; the number of days
# A third figure follows: this process's peak working set in bytes, when the work is done.
param(
    [Parameter(Mandatory)] [ValidateSet('pipeline', 'runbook', 'query', 'query-peer', 'headline', 'count', 'count-json', 'count-select', 'verify', 'report', 'spend-by-day')] [string] $Workload,
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Log,
    [int] $Count,
    [string] $Since
)
$ErrorActionPreference = 'Stop'
Import-Module $Module

switch ($Workload) {
    { $_ -in 'pipeline', 'runbook' } {
        $events = foreach ($i in 1..$Count) {
            [pscustomobject]@{ Event = 'nav'; Cost = 0.000168; Model = 'llama-3.1-8b'; InputTokens = 1234; OutputTokens = 256
                               Files = @('src/scout/navigator.py'); Reason = 'navigate to definition'; Confidence = 85; DurationMs = 1234 }
        }
        Set-ScoutAuditLog -Path $Log -RotationSize 0 # appends alone, as the original's loop is measured
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        if ($Workload -eq 'pipeline') {
            $events | Write-ScoutAuditEvent -Path $Log
        }
        else {
            foreach ($e in $events) {
                Write-ScoutAuditEvent $e.Event -Cost $e.Cost -Model $e.Model -InputTokens $e.InputTokens -OutputTokens $e.OutputTokens `
                    -Files $e.Files -Reason $e.Reason -Confidence $e.Confidence -DurationMs $e.DurationMs -Path $Log
            }
        }
        Close-ScoutAuditLog -Path $Log
        $clock.Stop()
        $found = $events
    }
    'query' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $found = Get-ScoutAuditEvent -Event nav -Path $Log
        $clock.Stop()
    }
    'headline' {
        foreach ($round in 1..$Count) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $found = Get-ScoutAuditEvent -Since $Since -Path $Log | Where-Object Event -eq nav
            $clock.Stop()
        }
    }
    'count' {
        foreach ($round in 1..$Count) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $found = [int[]]::new((Get-ScoutAuditEvent -Event nav -Path $Log | Measure-Object).Count)
            $clock.Stop()
        }
    }
    'count-json' {
        foreach ($round in 1..$Count) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $found = [int[]]::new((Get-Content -Path $Log | ConvertFrom-Json | Where-Object Event -eq nav | Measure-Object).Count)
            $clock.Stop()
        }
    }
    'count-select' {
        foreach ($round in 1..$Count) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $found = [int[]]::new((Select-String -Path $Log -SimpleMatch '"event": "nav"' | Measure-Object).Count)
            $clock.Stop()
        }
    }
    'verify' {
        foreach ($round in 1..$Count) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $summary = Test-ScoutAuditLog -Path $Log
            $clock.Stop()
        }
        if ($summary.Status -ne 'Verified') { throw "Test-ScoutAuditLog found the benchmark's history $($summary.Status)" }
        $found = [byte[]]::new($summary.BytesRead)
    }
    'report' {
        $page = Join-Path ([System.IO.Path]::GetDirectoryName($Log)) "report-$PID.html"
        $start = [DateTimeOffset]::Parse($Since, [cultureinfo]::InvariantCulture)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Export-ScoutAuditReport -Path $Log -OutFile $page -Since $start -Until $start.AddDays(30)
        $clock.Stop()
        $found = [byte[]]::new((Get-Item -LiteralPath $page).Length)
        Remove-Item -LiteralPath $page
    }
    'spend-by-day' {
        $start = [DateTimeOffset]::Parse($Since, [cultureinfo]::InvariantCulture)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $found = Get-ScoutAuditSpend -Path $Log -Since $start -Until $start.AddDays(30) -By Day
        $clock.Stop()
    }
    'query-peer' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $found = Get-Content -Path $Log | ConvertFrom-Json | Where-Object Event -eq nav
        $clock.Stop()
    }
}
'{0} {1} {2}' -f $clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture), @($found).Count, [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
