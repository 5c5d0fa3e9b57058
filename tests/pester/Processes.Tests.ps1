#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Several threads and processes on one log, real pwsh child processes: time zones, a killed
# writer, runbooks run with pwsh -File. Children get HOME and SCOUT_AUDIT_PATH inside $TestDrive.

Describe 'Threads and processes' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        $modulePath = Get-ScoutAuditModulePath
        Import-Module $modulePath -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH
        $childHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $childHome | Out-Null
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        $log = New-TestLogPath $TestDrive
        $env:SCOUT_AUDIT_PATH = New-TestLogPath $TestDrive -Name 'default'
        $childEnvironment = @{ HOME = $childHome; SCOUT_AUDIT_PATH = $log }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
        Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
    }

    Context 'Concurrent writers' {
        It 'reads back every event of 4 parallel writers of 250 events exactly once' {
            1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:modulePath
                $writer = $_
                foreach ($n in 1..250) { Write-ScoutAuditEvent nav -Cost 0.001 -Reason "w$writer-$n" -Path $using:log }
            }

            $events = Get-ScoutAuditEvent -Path $log -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
            $events | Should -HaveCount 1000
            $expected = foreach ($w in 1..4) { foreach ($n in 1..250) { "w$w-$n" } }
            $events.Reason | Sort-Object | Should -Be ($expected | Sort-Object)
            (Get-ScoutAuditSpend -Path $log).Cost | Should -Be 1
        }

        It 'keeps the order of each writer among parallel writers' {
            1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:modulePath
                $writer = $_
                foreach ($n in 1..200) { Write-ScoutAuditEvent nav -Reason "w$writer" -Property @{ n = $n } -Path $using:log }
            }

            foreach ($writer in 'w1', 'w2') {
                $numbers = (Get-ScoutAuditEvent -Path $log | Where-Object Reason -eq $writer).n
                $numbers | Should -Be (1..200)
            }
        }

        It 'reads an event written by a Start-Job in another process, with its own session' {
            $savedHome = $env:HOME
            $env:HOME = $childHome
            try {
                $job = Start-Job -ScriptBlock {
                    param($Module, $Path)
                    Import-Module $Module
                    Write-ScoutAuditEvent trigger -Reason "from job $PID" -Path $Path
                    $PID
                } -ArgumentList $modulePath, $log
                $jobPid = $job | Wait-Job -Timeout 60 | Receive-Job
                $job | Remove-Job -Force
            }
            finally { $env:HOME = $savedHome }

            $jobPid | Should -Not -Be $PID
            $event = Get-ScoutAuditEvent -Path $log
            $event.Reason | Should -Be "from job $jobPid"
            Write-ScoutAuditEvent nav -Path $log -PassThru | ForEach-Object SessionId | Should -Not -Be $event.SessionId
        }

        It 'loses nothing when a child pwsh and this session write to one log at once' {
            $child = Start-ChildPwsh -Environment $childEnvironment -ArgumentList @(
                '-Command', 'Import-Module $env:SCOUT_TEST_MODULE; foreach ($n in 1..500) { Write-ScoutAuditEvent nav -Reason child -Property @{ n = $n } }')
            try {
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                while (-not (Test-Path -LiteralPath $log) -and -not $child.HasExited -and $watch.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 10 }
                $n = 0
                do {
                    $n++
                    Write-ScoutAuditEvent nav -Reason parent -Property @{ n = $n } -Path $log
                } while (-not $child.HasExited -and $watch.Elapsed.TotalSeconds -lt 60)
                $child.WaitForExit(60000) | Should -BeTrue
                $child.ExitCode | Should -Be 0
            }
            finally { if (-not $child.HasExited) { $child.Kill() }; $child.Dispose() }

            $events = Get-ScoutAuditEvent -Path $log -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
            ($events | Where-Object Reason -eq child).n | Should -Be (1..500)
            ($events | Where-Object Reason -eq parent).n | Should -Be (1..$n)
            $events | Should -HaveCount (500 + $n)
        }
    }

    Context 'The design card example in a child pwsh far from UTC' {
        BeforeAll {
            # The three children start together (each is a whole pwsh start-up); each It judges its own.
            $command = @'
Import-Module $env:SCOUT_TEST_MODULE
'offset=' + [TimeZoneInfo]::Local.GetUtcOffset([datetime]::UtcNow).TotalMinutes
'nav=' + ((Get-ScoutAuditEvent -Since (Get-Date).AddHours(-1) | Where Event -eq nav).Reason -join ',')
'@
            $children = @{}
            foreach ($zone in 'Pacific/Kiritimati', 'America/Adak', 'Asia/Kolkata') {
                $zoneLog = New-TestLogPath $TestDrive -Name 'zone'
                $now = [datetime]::UtcNow
                Set-ScoutAuditLogContent -Path $zoneLog -Line @(
                    New-ScoutAuditLine $now.AddHours(-14.5) nav -Field @{ reason = 'h14.5' }
                    New-ScoutAuditLine $now.AddHours(-10.5) nav -Field @{ reason = 'h10.5' }
                    New-ScoutAuditLine $now.AddHours(-5.5) nav -Field @{ reason = 'h5.5' }
                    New-ScoutAuditLine $now.AddMinutes(-90) nav -Field @{ reason = 'm90' }
                    New-ScoutAuditLine $now.AddMinutes(-62) nav -Field @{ reason = 'm62' }
                    New-ScoutAuditLine $now.AddMinutes(-58) nav -Field @{ reason = 'm58' }
                    New-ScoutAuditLine $now.AddMinutes(-30) nav -Field @{ reason = 'm30' }
                    New-ScoutAuditLine $now.AddMinutes(-10) deep -Field @{ reason = 'm10-deep' }
                )
                $children[$zone] = Start-ChildPwshCapture -ArgumentList '-Command', $command `
                    -Environment @{ HOME = $childHome; SCOUT_AUDIT_PATH = $zoneLog; TZ = $zone }
            }
        }

        AfterAll {
            # A child an It did not wait for (it failed early) must not outlive the suite; waited ones are disposed.
            foreach ($child in $children.Values) {
                try { if (-not $child.Process.HasExited) { $child.Process.Kill() } } catch [System.InvalidOperationException] { }
            }
        }

        It 'returns exactly the nav events of the last hour with TZ=<TimeZone>' -ForEach @(
            @{ TimeZone = 'Pacific/Kiritimati' }
            @{ TimeZone = 'America/Adak' }
            @{ TimeZone = 'Asia/Kolkata' }
        ) {
            $result = Wait-ChildPwsh -Child $children[$TimeZone]

            $result.StdErr | Should -BeNullOrEmpty
            $result.ExitCode | Should -Be 0
            $expectedOffset = [TimeZoneInfo]::FindSystemTimeZoneById($TimeZone).GetUtcOffset([datetime]::UtcNow).TotalMinutes
            $expectedOffset | Should -Not -Be 0
            $result.StdOut | Should -Match "(?m)^offset=$expectedOffset\r?$" -Because 'the child must really run in that time zone'
            $result.StdOut | Should -Match '(?m)^nav=m58,m30\r?$'
        }
    }

    Context 'A child pwsh killed while writing' {
        It 'leaves only whole lines, and the log reads and takes new events' {
            $child = Start-ChildPwsh -Environment $childEnvironment -ArgumentList @(
                '-Command', 'Import-Module $env:SCOUT_TEST_MODULE; $n = 0; while ($true) { $n++; Write-ScoutAuditEvent nav -Reason ("r" * 300) -Property @{ n = $n } }')
            try {
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                while (-not ((Test-Path -LiteralPath $log) -and (Get-Item -LiteralPath $log).Length -gt 200KB) -and $watch.Elapsed.TotalSeconds -lt 60) {
                    if ($child.HasExited) { throw "The writer exited early with code $($child.ExitCode)." }
                    Start-Sleep -Milliseconds 20
                }
                $child.Kill()
                $child.WaitForExit(10000) | Should -BeTrue
            }
            finally { if (-not $child.HasExited) { $child.Kill() }; $child.Dispose() }

            $bytes = [System.IO.File]::ReadAllBytes($log)
            $bytes[-1] | Should -Be 10 -Because 'the last line must be whole'
            $lines = [System.Text.Encoding]::UTF8.GetString($bytes).TrimEnd("`n").Split("`n")
            $numbers = $lines | ForEach-Object { ($_ | ConvertFrom-Json).n }
            $numbers | Should -Be (1..$lines.Count)

            $events = Get-ScoutAuditEvent -Path $log -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
            $events | Should -HaveCount $lines.Count

            Write-ScoutAuditEvent deep -Reason 'after the crash' -Path $log
            (Get-ScoutAuditEvent -Last 1 -Path $log).Reason | Should -Be 'after the crash'
            @(Get-ScoutAuditEvent -Path $log) | Should -HaveCount ($lines.Count + 1)
        }
    }

    Context 'Runbooks run with pwsh -File' {
        BeforeAll {
            $runbook = Join-Path $TestDrive 'runbook.ps1'
            Set-Content -LiteralPath $runbook -Value @'
param([double] $Cost)
$ErrorActionPreference = 'Stop'
Import-Module $env:SCOUT_TEST_MODULE
Write-ScoutAuditEvent nav -Cost $Cost -Model llama-3.1-8b -Reason 'runbook step'
'runbook finished'
'@
        }

        It 'exits 0 and leaves its event in the log when Write-ScoutAuditEvent succeeds' {
            $result = Invoke-ChildPwsh -Environment $childEnvironment -ArgumentList '-File', $runbook, '-Cost', '0.25'

            $result.ExitCode | Should -Be 0
            $result.StdOut | Should -Match 'runbook finished'
            $event = Get-ScoutAuditEvent -Path $log
            $event.Reason | Should -Be 'runbook step'
            $event.Cost | Should -Be 0.25
        }

        It 'exits non-zero, stops, and writes nothing when Write-ScoutAuditEvent fails under Stop' {
            $result = Invoke-ChildPwsh -Environment $childEnvironment -ArgumentList '-File', $runbook, '-Cost', '-1'

            $result.ExitCode | Should -Not -Be 0
            $result.StdOut | Should -Not -Match 'runbook finished'
            $result.StdErr | Should -Match 'Cost|cost'
            @(Get-ScoutAuditEvent -Path $log -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }
    }
}
