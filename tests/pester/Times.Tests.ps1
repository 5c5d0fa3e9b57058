# Times given as text, as users type them, in real pwsh: the same instant in every culture for
# -Since, -Until and -Timestamp, or the same refusal that says how to write it. The culture is set
# in the test's own runspace ([cultureinfo]::CurrentCulture) and one case runs in a child pwsh.

BeforeDiscovery {
    # Text and the instant it means: ISO 8601 dates and times, with Z, an offset or neither
    # (local time), and a form of PowerShell's invariant cast.
    $local = { param($y, $mo, $d, $h, $mi) [datetimeoffset][datetime]::new($y, $mo, $d, $h, $mi, 0, [DateTimeKind]::Local) }
    $readable = @(
        @{ Text = '2026-02-13'; Expected = & $local 2026 2 13 0 0 }
        @{ Text = '2026-02-13Z'; Expected = [datetimeoffset]::new(2026, 2, 13, 0, 0, 0, [timespan]::Zero) }
        @{ Text = '2026-02-13T14:30:00Z'; Expected = [datetimeoffset]::new(2026, 2, 13, 14, 30, 0, [timespan]::Zero) }
        @{ Text = '2026-02-13T14:30:00+01:00'; Expected = [datetimeoffset]::new(2026, 2, 13, 14, 30, 0, [timespan]::FromHours(1)) }
        @{ Text = '2026-02-13T14:30'; Expected = & $local 2026 2 13 14 30 }
        @{ Text = '2026-02-13 14:30'; Expected = & $local 2026 2 13 14 30 }
        @{ Text = 'Feb 13 2026 14:30'; Expected = & $local 2026 2 13 14 30 }
    )
    $refused = @(
        @{ Text = '01/12/2026'; Message = "'01/12/2026' could be 1 December or 12 January: write 2026-12-01 or 2026-01-12 (ISO 8601, year first), or give a ``[datetime``]." }
        @{ Text = '02/03/2026 10:00'; Message = "'02/03/2026 10:00' could be 2 March or 3 February: write 2026-03-02 10:00 or 2026-02-03 10:00 (ISO 8601, year first)*" }
        @{ Text = '12/25/2026'; Message = "'12/25/2026' writes the day and the month in the order of a culture, which ScoutAudit does not guess: write 2026-12-25 (ISO 8601, year first)*" }
        @{ Text = '13.02.2026'; Message = "'13.02.2026' writes the day and the month in the order of a culture*write 2026-02-13 (ISO 8601, year first)*" }
        @{ Text = 'gestern'; Message = "'gestern' is not a time ScoutAudit can read; write it in ISO 8601, year first: 2026-02-13 (midnight, local time)*" }
    )
    $cultures = 'en-US', 'de-DE'
    $readableInEachCulture = foreach ($culture in $cultures) { foreach ($row in $readable) { $row + @{ Culture = $culture } } }
    $refusedInEachCulture = foreach ($culture in $cultures) { foreach ($row in $refused) { $row + @{ Culture = $culture } } }
}

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot 'Support/ScoutAuditTestSupport.psm1'))) -Force

    function Invoke-InCulture([string] $Culture, [scriptblock] $Script) {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            & $Script
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }
    }

    function Write-Around([string] $Path, [datetimeoffset] $At) {
        # Events a millisecond before, at and a millisecond after the instant.
        Set-ScoutAuditLogContent -Path $Path -Line @(
            New-ScoutAuditLine -Utc $At.UtcDateTime.AddMilliseconds(-1) -Event before
            New-ScoutAuditLine -Utc $At.UtcDateTime -Event at
            New-ScoutAuditLine -Utc $At.UtcDateTime.AddMilliseconds(1) -Event after
        )
    }
}

AfterAll {
    Remove-Module ScoutAudit, ScoutAuditTestSupport -ErrorAction SilentlyContinue
}

Describe 'A time given as text' {
    BeforeEach {
        $log = New-TestLogPath $TestDrive
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It "-Since '<Text>' starts at the instant it means, in <Culture>" -ForEach $readableInEachCulture {
        Write-Around $log $Expected

        $events = Invoke-InCulture $Culture { Get-ScoutAuditEvent -Since $Text -Path $log }

        $events.Event | Should -Be 'at', 'after'
    }

    It "-Until '<Text>' ends before the instant it means, in <Culture>" -ForEach $readableInEachCulture {
        Write-Around $log $Expected

        $events = Invoke-InCulture $Culture { Get-ScoutAuditEvent -Until $Text -Path $log }

        $events.Event | Should -Be 'before'
    }

    It "-Timestamp '<Text>' dates the event at the instant it means, in <Culture>" -ForEach $readableInEachCulture {
        Invoke-InCulture $Culture { Write-ScoutAuditEvent nav -Timestamp $Text -Path $log }
        Close-ScoutAuditLog -Path $log

        (Get-ScoutAuditEvent -Path $log).Timestamp | Should -Be $Expected.LocalDateTime
    }

    It "-Since, -Until and -Timestamp refuse '<Text>' in <Culture> with one message that says how to write it" -ForEach $refusedInEachCulture {
        Invoke-InCulture $Culture {
            { Get-ScoutAuditEvent -Since $Text -Path $log } | Should -Throw -ExpectedMessage "*parameter 'Since'. $Message" -ErrorId 'ParameterArgumentTransformationError,*'
            { Get-ScoutAuditSpend -Until $Text -Path $log } | Should -Throw -ExpectedMessage "*parameter 'Until'. $Message" -ErrorId 'ParameterArgumentTransformationError,*'
            { Write-ScoutAuditEvent nav -Timestamp $Text -Path $log } | Should -Throw -ExpectedMessage "*parameter 'Timestamp'. $Message" -ErrorId 'ParameterArgumentTransformationError,*'
            { Remove-ScoutAuditArchive -Before $Text -Path $log -Confirm:$false } | Should -Throw -ExpectedMessage "*parameter 'Before'. $Message"
        }
        $log | Should -Not -Exist
    }

    It 'reads a [datetime] of kind Local or Unspecified as local time, and Utc as UTC' {
        $at = [datetime]::new(2026, 2, 13, 14, 30, 0, [DateTimeKind]::Unspecified)
        Write-Around $log ([datetimeoffset][datetime]::SpecifyKind($at, 'Local'))

        (Get-ScoutAuditEvent -Since $at -Path $log).Event | Should -Be 'at', 'after'
        (Get-ScoutAuditEvent -Since ([datetime]::SpecifyKind($at, 'Local')) -Path $log).Event | Should -Be 'at', 'after'
        (Get-ScoutAuditEvent -Until ([datetime]::SpecifyKind($at, 'Local').ToUniversalTime()) -Path $log).Event | Should -Be 'before'
    }

    It 'gives the same answer for the same text in a child pwsh in de-DE as in en-US' {
        Write-Around $log ([datetimeoffset]::new(2026, 12, 1, 0, 0, 0, [timespan]::Zero))
        $script = "Import-Module `$env:SCOUT_TEST_MODULE; (Get-ScoutAuditEvent -Since '2026-12-01Z' -Path '$log').Event -join ','; " +
            "try { Get-ScoutAuditEvent -Since '01/12/2026' -Path '$log' } catch { `$_.Exception.Message }"

        $answers = foreach ($culture in 'en-US', 'de-DE') {
            (Invoke-ChildPwsh -ArgumentList '-Command', "[cultureinfo]::CurrentCulture = '$culture'; $script" `
                -Environment @{ HOME = $TestDrive; SCOUT_AUDIT_PATH = (Join-Path $TestDrive 'default.jsonl') }).StdOut
        }

        $answers[0] | Should -Be $answers[1]
        $answers[0] | Should -BeLike "at,after*'01/12/2026' could be 1 December or 12 January*"
    }
}
