#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-ScoutAuditEvent, Get-ScoutAuditSpend and Get-ScoutAuditAccuracy on logs seeded at known UTC times.

Describe 'Queries' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH

        function Utc([string] $Text) {
            [datetime]::ParseExact($Text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture,
                [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal')
        }

        # A day of Scout work on 2026-02-13 (UTC), two sessions, three models.
        $seed = @(
            New-ScoutAuditLine (Utc '2026-02-13T09:15:00.000Z') nav -SessionId 'morning' -Field ([ordered]@{ cost = 0.5; model = 'gpt-4o-mini'; input_t = 100; output_t = 10; reason = 'n1' })
            New-ScoutAuditLine (Utc '2026-02-13T09:45:00.000Z') validation_fail -SessionId 'morning' -Field ([ordered]@{ model = 'gpt-4o-mini'; reason = 'v1' })
            New-ScoutAuditLine (Utc '2026-02-13T10:00:00.000Z') nav -SessionId 'morning' -Field ([ordered]@{ cost = 0.25; model = 'llama-3.1-8b'; input_t = 50; output_t = 5; reason = 'n2' })
            New-ScoutAuditLine (Utc '2026-02-13T10:30:00.000Z') deep -SessionId 'morning' -Field ([ordered]@{ cost = 2; model = 'claude-sonnet'; input_t = 1000; output_t = 300; reason = 'd1' })
            New-ScoutAuditLine (Utc '2026-02-13T11:00:00.000Z') nav -SessionId 'noon' -Field ([ordered]@{ cost = 0.125; model = 'llama-3.1-8b'; input_t = 20; output_t = 2; reason = 'n3' })
            New-ScoutAuditLine (Utc '2026-02-13T11:59:59.999Z') budget -SessionId 'noon' -Field ([ordered]@{ reason = 'b1' })
            New-ScoutAuditLine (Utc '2026-02-14T00:30:00.000Z') nav -SessionId 'night' -Field ([ordered]@{ cost = 1; model = 'gpt-4o-mini'; input_t = 7; output_t = 3; reason = 'n4' })
        )
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        $log = New-TestLogPath $TestDrive
        Set-ScoutAuditLogContent -Path $log -Line $seed
        $env:SCOUT_AUDIT_PATH = New-TestLogPath $TestDrive -Name 'default'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
        Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
    }

    Context 'Get-ScoutAuditEvent' {
        It 'streams every event oldest first as typed objects' {
            $events = Get-ScoutAuditEvent -Path $log

            $events.Reason | Should -Be @('n1', 'v1', 'n2', 'd1', 'n3', 'b1', 'n4')
            $events | ForEach-Object { $_ | Should -BeOfType ScoutAudit.AuditEvent }
        }

        It 'returns only the event types given with -Event' {
            (Get-ScoutAuditEvent -Event deep, budget -Path $log).Reason | Should -Be @('d1', 'b1')
        }

        It 'takes the event type as its first positional argument' {
            (Get-ScoutAuditEvent validation_fail -Path $log).Reason | Should -Be 'v1'
        }

        It 'returns only the events of the models given with -Model' {
            (Get-ScoutAuditEvent -Model llama-3.1-8b -Path $log).Reason | Should -Be @('n2', 'n3')
        }

        It 'returns only the events of the sessions given with -SessionId' {
            (Get-ScoutAuditEvent -SessionId noon, night -Path $log).Reason | Should -Be @('n3', 'b1', 'n4')
        }

        It 'combines filters: every filter must match' {
            (Get-ScoutAuditEvent nav -Model gpt-4o-mini -SessionId morning -Path $log).Reason | Should -Be 'n1'
        }

        It 'includes an event exactly at -Since and excludes one exactly at -Until' {
            $events = Get-ScoutAuditEvent -Since '2026-02-13T10:00:00Z' -Until '2026-02-13T11:00:00Z' -Path $log

            $events.Reason | Should -Be @('n2', 'd1')
        }

        It 'reads a local [datetime] given to -Since as local time' {
            $sinceLocal = (Utc '2026-02-13T11:00:00.000Z').ToLocalTime()
            $sinceLocal.Kind | Should -Be 'Local'

            (Get-ScoutAuditEvent -Since $sinceLocal -Path $log).Reason | Should -Be @('n3', 'b1', 'n4')
        }

        It 'compares instants when -Since is a DateTimeOffset in another zone' {
            $since = [DateTimeOffset]::new(2026, 2, 13, 16, 30, 0, [timespan]::FromHours(5.5))   # 11:00Z in Kolkata

            (Get-ScoutAuditEvent -Since $since -Path $log).Reason | Should -Be @('n3', 'b1', 'n4')
        }

        It 'refuses -Until before -Since with InvalidTimeWindow' {
            { Get-ScoutAuditEvent -Since '2026-02-13T12:00:00Z' -Until '2026-02-13T11:00:00Z' -Path $log } |
                Should -Throw -ErrorId 'InvalidTimeWindow,ScoutAudit.PowerShell.Commands.GetScoutAuditEventCommand'
        }

        It 'refuses a path on an unknown drive with AuditLogPathInvalid' {
            { Get-ScoutAuditEvent -Path 'NoSuchDrive:/audit.jsonl' } |
                Should -Throw -ErrorId 'AuditLogPathInvalid,ScoutAudit.PowerShell.Commands.GetScoutAuditEventCommand'
        }

        It 'returns the last N events that pass the filters, oldest first, with -Last' {
            (Get-ScoutAuditEvent nav -Last 2 -Path $log).Reason | Should -Be @('n3', 'n4')
        }

        It 'reads several logs piped as paths' {
            $other = New-TestLogPath $TestDrive -Name 'other'
            Write-ScoutAuditEvent trigger -Reason 'other log' -Path $other
            Close-ScoutAuditLog -Path $other

            $events = $log, $other | Get-ScoutAuditEvent

            $events | Should -HaveCount 8
            $events[-1].Reason | Should -Be 'other log'
        }

        It 'reads the log of each Get-ScoutAuditLog object piped to it' {
            $other = New-TestLogPath $TestDrive -Name 'other'
            Write-ScoutAuditEvent trigger -Path $other
            Close-ScoutAuditLog -Path $other

            (Get-ScoutAuditLog -Path $other | Get-ScoutAuditEvent).Event | Should -Be 'trigger'
        }

        It 'reads the default log when -Path is not given' {
            Set-ScoutAuditLogContent -Path $env:SCOUT_AUDIT_PATH -Line $seed[0]

            (Get-ScoutAuditEvent).Reason | Should -Be 'n1'
        }

        It 'gives Timestamp as a local [datetime] that compares with Get-Date, and the UTC time in its string form' {
            $event = Get-ScoutAuditEvent -Last 1 -Path $log

            $event.Timestamp.Kind | Should -Be 'Local'
            $event.Timestamp.ToUniversalTime() | Should -Be (Utc '2026-02-14T00:30:00.000Z')
            $event.Timestamp | Should -BeLessThan (Get-Date)
            "$event" | Should -Match '^2026-02-14T00:30:00\.000Z nav'
        }

        It 'shows the original field names as alias properties' {
            $event = Get-ScoutAuditEvent -Event deep -Path $log

            $event.session_id | Should -Be 'morning'
            $event.input_t | Should -Be 1000
            $event.output_t | Should -Be 300
        }

        It 'skips a line that is not an event with one warning and reads on' {
            Set-ScoutAuditLogContent -Path $log -Line @($seed[0], 'this is not json', '[1, 2]', $seed[1])

            $events = Get-ScoutAuditEvent -Path $log -WarningVariable warnings -WarningAction SilentlyContinue

            $events.Reason | Should -Be @('n1', 'v1')
            $warnings | Should -HaveCount 1
            "$warnings" | Should -Match 'Skipped 2 lines'
        }

        It 'skips an empty line in silence and warns of a tab-only one as the original does, with -Last alike' {
            [System.IO.File]::WriteAllText($log, "$($seed[0])`n`r`n`t`n$($seed[1])`r`r`n")

            $forward = Get-ScoutAuditEvent -Path $log -WarningVariable forwardWarnings -WarningAction SilentlyContinue
            $last = Get-ScoutAuditEvent -Path $log -Last 5 -WarningVariable lastWarnings -WarningAction SilentlyContinue

            $forward.Reason | Should -Be @('n1', 'v1')
            $last.Reason | Should -Be @('n1', 'v1')
            "$forwardWarnings" | Should -Match 'Skipped 1 line of'
            "$lastWarnings" | Should -Match 'Skipped 1 line of'
        }

        It 'names each skipped line in a verbose message' {
            Set-ScoutAuditLogContent -Path $log -Line @($seed[0], 'this is not json', $seed[1])

            $verbose = Get-ScoutAuditEvent -Path $log -Verbose -WarningAction SilentlyContinue 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

            ($verbose.Message -match 'line 2') | Should -Not -BeNullOrEmpty
        }

        It 'reads lines written by other tools: any key order, CRLF endings and a BOM' {
            $crlf = [System.Text.UTF8Encoding]::new($true)
            [System.IO.File]::WriteAllText($log, "{`"event`":`"nav`",`"cost`":0.5,`"ts`":`"2026-02-13T09:15:00.000Z`",`"session_id`":`"s`"}`r`n{`"session_id`":`"s`",`"ts`":`"2026-02-13T09:16:00.000Z`",`"event`":`"deep`"}`r`n", $crlf)

            $events = Get-ScoutAuditEvent -Path $log -WarningVariable warnings

            $events.Event | Should -Be @('nav', 'deep')
            $events[0].Cost | Should -Be 0.5
            $warnings | Should -BeNullOrEmpty
        }
    }

    Context 'Get-ScoutAuditSpend' {
        It 'sums cost, events and tokens of the whole log' {
            $spend = Get-ScoutAuditSpend -Path $log

            $spend.Cost | Should -Be 3.875
            $spend.Events | Should -Be 7
            $spend.InputTokens | Should -Be 1177
            $spend.OutputTokens | Should -Be 320
        }

        It 'sums costs exactly, as decimals' {
            Set-ScoutAuditLogContent -Path $log -Line @(1..10 | ForEach-Object { New-ScoutAuditLine (Utc '2026-02-13T09:00:00.000Z') nav -Field @{ cost = 0.1 } })

            (Get-ScoutAuditSpend -Path $log).Cost | Should -Be 1
        }

        It 'counts an exact window with -Since inclusive and -Until exclusive' {
            $spend = Get-ScoutAuditSpend -Since '2026-02-13T10:00:00Z' -Until '2026-02-13T11:00:00Z' -Path $log

            $spend.Cost | Should -Be 2.25
            $spend.Events | Should -Be 2
            $spend.Since.ToUniversalTime() | Should -Be (Utc '2026-02-13T10:00:00.000Z')
        }

        It 'counts from the start of the previous UTC hour with -Hours 1' {
            if ([datetime]::UtcNow.Minute -eq 59 -and [datetime]::UtcNow.Second -ge 55) { Start-Sleep -Seconds 6 }   # not across an hour boundary
            $now = [datetime]::UtcNow
            $previousHour = [datetime]::new($now.Year, $now.Month, $now.Day, $now.Hour, 0, 0, [DateTimeKind]::Utc).AddHours(-1)
            Set-ScoutAuditLogContent -Path $log -Line @(
                New-ScoutAuditLine $previousHour.AddMilliseconds(-1) nav -Field @{ cost = 100 }
                New-ScoutAuditLine $previousHour nav -Field @{ cost = 0.04 }
                New-ScoutAuditLine $now.AddSeconds(-1) nav -Field @{ cost = 0.02 }
            )

            $spend = Get-ScoutAuditSpend -Hours 1 -Path $log

            $spend.Cost | Should -Be 0.06
            $spend.Events | Should -Be 2
        }

        It 'breaks spend down by model, most expensive first' {
            $rows = Get-ScoutAuditSpend -By Model -Path $log

            $rows | Should -HaveCount 4
            $rows[0..2].Group | Should -Be @('claude-sonnet', 'gpt-4o-mini', 'llama-3.1-8b')
            $rows.Cost | Should -Be @(2, 1.5, 0.375, 0)
            $rows[-1].Group | Should -BeNullOrEmpty -Because 'events without a model are counted in a row whose Group is empty'
            $rows[-1].Events | Should -Be 1
        }

        It 'breaks spend down by event type' {
            $rows = Get-ScoutAuditSpend -By Event -Path $log

            $rows[0].Group | Should -Be 'deep'
            ($rows | Where-Object Group -eq nav).Events | Should -Be 4
        }

        It 'breaks spend down by session' {
            $rows = Get-ScoutAuditSpend -By SessionId -Path $log

            $rows.Group | Should -Be @('morning', 'night', 'noon')
            $rows.Cost | Should -Be @(2.75, 1, 0.125)
        }

        It 'breaks spend down by UTC hour in time order' {
            $rows = Get-ScoutAuditSpend -By Hour -Path $log

            $rows.Group | Should -Be @('2026-02-13T09:00Z', '2026-02-13T10:00Z', '2026-02-13T11:00Z', '2026-02-14T00:00Z')
            $rows.Cost | Should -Be @(0.5, 2.25, 0.125, 1)
        }

        It 'breaks spend down by UTC day within a window' {
            $rows = Get-ScoutAuditSpend -By Day -Since '2026-02-13T00:00:00Z' -Until '2026-03-01T00:00:00Z' -Path $log

            $rows.Group | Should -Be @('2026-02-13', '2026-02-14')
            $rows.Events | Should -Be @(6, 1)
        }

        It 'refuses -Until before -Since with InvalidTimeWindow' {
            { Get-ScoutAuditSpend -Since '2026-02-14T00:00:00Z' -Until '2026-02-13T00:00:00Z' -Path $log } |
                Should -Throw -ErrorId 'InvalidTimeWindow,ScoutAudit.PowerShell.Commands.GetScoutAuditSpendCommand'
        }
    }

    Context 'Get-ScoutAuditAccuracy' {
        It 'counts nav events and validation failures and rounds the accuracy to 2 places' {
            Add-Content -LiteralPath $log -Value (New-ScoutAuditLine (Utc '2026-02-14T01:00:00.000Z') validation_fail)

            $accuracy = Get-ScoutAuditAccuracy -Path $log

            $accuracy.TotalNav | Should -Be 4
            $accuracy.ValidationFailCount | Should -Be 2
            $accuracy.AccuracyPct | Should -Be 50
        }

        It 'reports 66.67 for one failure in three navigations' {
            $accuracy = Get-ScoutAuditAccuracy -Since '2026-02-13T09:00:00Z' -Until '2026-02-14T00:00:00Z' -Path $log

            $accuracy.TotalNav | Should -Be 3
            $accuracy.ValidationFailCount | Should -Be 1
            $accuracy.AccuracyPct | Should -Be 66.67
        }

        It 'reports 100 when the window has no nav event' {
            $accuracy = Get-ScoutAuditAccuracy -Since '2026-02-13T09:30:00Z' -Until '2026-02-13T10:00:00Z' -Path $log

            $accuracy.TotalNav | Should -Be 0
            $accuracy.ValidationFailCount | Should -Be 1
            $accuracy.AccuracyPct | Should -Be 100
        }
    }
}
