#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Sidecars are hints that cannot hide data (issue 22): someone who may write in the log's directory,
# but not as its owner, appends a hint to the archive index that places a chained archive in 2020,
# and edits the time range of a block in <log>.blocks so that it lies in 2020 too. A time window
# still counts every event, and Test-ScoutAuditLog names both sidecars.

Describe 'Sidecars' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        $since = [datetimeoffset]::new(2026, 3, 1, 0, 0, 0, [timespan]::Zero)
        $in2020 = [datetimeoffset]::new(2020, 1, 1, 0, 0, 0, [timespan]::Zero)

        # A line as the original writes it (its header is what the block summaries read), padded to about 200 bytes.
        function Format-Line([datetimeoffset] $At, [string] $Cost, [int] $Number) {
            '{{"ts": "{0}", "event": "nav", "session_id": "s", "cost": {1}, "reason": "event {2} {3}"}}' -f
            $At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture), $Cost, $Number, ('x' * 100)
        }

        # A chained archive of 100 events costing 0.01 each, then an active file of 3,000 events
        # costing 0.001 each (about 600 KiB: more than two blocks of 256 KiB, so windows summarise it),
        # every event after $since.
        function New-History([string] $Path) {
            Set-ScoutAuditLogContent -Path $Path -Line @(foreach ($n in 0..99) { Format-Line $since.AddMinutes($n) '0.01' $n })
            $null = Invoke-ScoutAuditRotation -Path $Path -Confirm:$false
            Close-ScoutAuditLog -Path $Path
            Set-ScoutAuditLogContent -Path $Path -Line @(foreach ($n in 0..2999) { Format-Line $since.AddHours(2).AddSeconds($n) '0.001' $n })
        }

        # What a tamperer without the owner's rights can do: append a line to the index, and put an
        # edited .blocks in place of the owner's (here: the owner's made writable by the group).
        function Edit-Sidecar([string] $Path) {
            $index = Join-Path (Split-Path $Path) 'audit.index.jsonl'
            $entry = [System.IO.File]::ReadAllLines($index)[1] | ConvertFrom-Json # line 0 is the seal of its segment
            $hint = [ordered]@{
                archive = $entry.archive; first_ts = '2020-01-01T00:00:00.000Z'; last_ts = '2020-01-01T01:00:00.000Z'
                lines = $entry.lines; bytes = $entry.bytes; gz_bytes = $entry.gz_bytes; sha256 = $entry.sha256
            }
            [System.IO.File]::AppendAllText($index, ($hint | ConvertTo-Json -Compress) + "`n")

            $blocks = "$Path.blocks"
            $lines = [System.IO.File]::ReadAllLines($blocks)
            $fields = $lines[1] -split ' '
            $fields[3] = $in2020.UtcTicks
            $fields[4] = $in2020.AddHours(1).UtcTicks
            $lines[1] = $fields -join ' '
            [System.IO.File]::WriteAllText($blocks, ($lines -join "`n") + "`n")
            [System.IO.File]::SetUnixFileMode($blocks, [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead, GroupWrite')
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        New-History $log
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'answers Get-ScoutAuditSpend -Since as before a hint was forged in the index and a block''s range edited in .blocks' -Skip:$IsWindows {
        $before = Get-ScoutAuditSpend -Path $log -Since $since
        "$log.blocks" | Should -Exist -Because 'the window query summarised the active file'

        Edit-Sidecar $log
        $after = Get-ScoutAuditSpend -Path $log -Since $since

        $before.Cost | Should -Be 4
        $before.Events | Should -Be 3100
        $after.Cost | Should -Be $before.Cost
        $after.Events | Should -Be $before.Events
    }

    It 'reports each sidecar that says other than the bytes as a SidecarInconsistent warning, and the log as Verified' -Skip:$IsWindows {
        $null = Get-ScoutAuditSpend -Path $log -Since $since
        Edit-Sidecar $log

        $output = @(Test-ScoutAuditLog -Path $log)

        $findings = @($output | Where-Object { $_ -is [ScoutAudit.IntegrityFinding] })
        $findings.Kind | Should -Be @('SidecarInconsistent', 'SidecarInconsistent')
        $findings.Severity | Should -Be @('Warning', 'Warning')
        ($findings.Path | ForEach-Object { Split-Path $_ -Leaf }) | Should -Be @('audit.index.jsonl', 'audit.jsonl.blocks')
        $findings.Line | Should -Be @(3, 2) -Because "the index line after the seal and the archive entry, and the block line"
        $findings.Actual | ForEach-Object { $_ | Should -Match '2020-01-01T00:00:00\.000Z' }
        $findings[0].Expected | Should -Match '2026-03-01T00:00:00\.000Z'
        $findings[1].Expected | Should -Match '2026-03-01T02:00:00\.000Z'
        $findings.Message | ForEach-Object { $_ | Should -Match 'answers do not depend on it' }
        $output[-1].Status | Should -Be 'Verified'
        $output[-1].Warnings | Should -Be 2
    }
}
