# What Write-ScoutAuditEvent does with what users pipe into it, in real pwsh: no value dropped or
# changed without a word, one bad record is that record's error alone, times and extra fields
# survive a copy of a log.

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
    $fixtures = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../ScoutAudit.Core.Tests/Fixtures'))

    function Read-Line([string] $Path) { @(Get-Content $Path | ConvertFrom-Json) }
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'Write-ScoutAuditEvent with piped records' {
    BeforeEach {
        $log = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
        $Error.Clear()
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'refuses a record whose cost or tokens are not numbers instead of writing it without them' {
        [pscustomobject]@{ Event = 'nav'; Cost = 'abc'; OutputTokens = '7' },
        [pscustomobject]@{ Event = 'nav'; Cost = '0.5'; InputTokens = '12k' } | Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused | Should -HaveCount 2
        $refused[0].Exception.Message | Should -Match "parameter 'Cost'.*'abc'"
        $refused[1].Exception.Message | Should -Match "parameter 'InputTokens'.*'12k'"
        $log | Should -Not -Exist
    }

    It 'refuses a CSV cell such as $0.50 with an error that -ErrorAction Stop turns into a stop' {
        { [pscustomobject]@{ Event = 'nav'; Cost = '$0.50' } | Write-ScoutAuditEvent -Path $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
        $log | Should -Not -Exist
    }

    It 'refuses a number whose meaning depends on the culture (0,5) rather than reading it as 5' {
        { Write-ScoutAuditEvent nav -Cost '0,5' -Path $log } | Should -Throw "*'0,5'*dot for decimals*"
        $log | Should -Not -Exist
    }

    It 'reads 0.5 as a half and refuses 1.000 tokens in de-DE, whatever the culture' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            [pscustomobject]@{ Event = 'nav'; Cost = '0.5'; OutputTokens = '1200' },
            [pscustomobject]@{ Event = 'nav'; InputTokens = '1.000' } | Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }

        $written = Read-Line $log
        $written | Should -HaveCount 1
        $written[0].cost | Should -Be 0.5
        $written[0].output_t | Should -Be 1200
        $refused | Should -HaveCount 1
        $refused[0].Exception.Message | Should -Match "'1\.000' is not a whole number"
    }

    It 'refuses 3.7 tokens rather than rounding them, and takes 42.0 as 42' {
        [pscustomobject]@{ Event = 'a'; InputTokens = 3.7 }, [pscustomobject]@{ Event = 'b'; InputTokens = 42.0 } |
            Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue

        (Read-Line $log).input_t | Should -Be 42
        $refused | Should -HaveCount 1
        $refused[0].TargetObject.Event | Should -Be 'a'
    }

    It 'writes the records after a bad one: the bad record is one non-terminating error with the record as target' {
        $second = [pscustomobject]@{ Event = 'b'; Cost = -1 }
        [pscustomobject]@{ Event = 'a'; Cost = 1 }, $second, [pscustomobject]@{ Event = 'c'; Cost = 3 } |
            Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue

        (Read-Line $log).event | Should -Be 'a', 'c'
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'InvalidEventField,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $refused[0].TargetObject.Event | Should -Be 'b' -Because 'the target is the record (a copy, its secrets redacted)'
        $refused[0].TargetObject.Cost | Should -Be -1
    }

    It 'stops at the bad record under -ErrorAction Stop, keeping the records before it' {
        { [pscustomobject]@{ Event = 'a' }, [pscustomobject]@{ Event = 'b'; Confidence = 150 }, [pscustomobject]@{ Event = 'c' } |
                Write-ScoutAuditEvent -Path $log -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidEventField,*'

        (Read-Line $log).event | Should -Be 'a'
    }

    It 'imports every good row of a CSV with a bad row in the middle' {
        $csv = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        Set-Content $csv -Value 'Event,Cost,InputTokens', 'nav,0.01,10', 'nav,oops,11', 'deep,0.03,', 'nav,,13'

        Import-Csv $csv | Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue

        $written = Read-Line $log
        $written.event | Should -Be 'nav', 'deep', 'nav'
        $written[0].input_t | Should -Be 10
        $written[1].PSObject.Properties.Name | Should -Not -Contain 'input_t' -Because 'an empty cell is not given, not 0'
        $written[2].input_t | Should -Be 13
        $refused | Should -HaveCount 1
        $refused[0].TargetObject.Cost | Should -Be 'oops'
    }
}

Describe 'Write-ScoutAuditEvent -Timestamp' {
    BeforeEach {
        $log = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'dates the event at the instant given, a local [datetime] as local time' {
        $when = [datetime]::new(2026, 11, 1, 10, 0, 0, 123, [DateTimeKind]::Local)

        Write-ScoutAuditEvent nav -Timestamp $when -Path $log

        (Get-Content $log) | Should -Match ('"ts": "{0}"' -f $when.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"))
    }

    It 'binds the Timestamp or ts of piped records, ISO 8601 text included' {
        [pscustomobject]@{ Event = 'a'; ts = '2026-11-01T10:00:00.123Z' },
        [pscustomobject]@{ Event = 'b'; Timestamp = [datetimeoffset]'2026-11-02T12:00:00+02:00' } | Write-ScoutAuditEvent -Path $log

        $lines = Get-Content $log
        $lines[0] | Should -Match '"ts": "2026-11-01T10:00:00\.123Z"'
        $lines[1] | Should -Match '"ts": "2026-11-02T10:00:00\.000Z"'
    }

    It 'refuses a time in a culture''s own form, whose day and month depend on the reader' {
        { Write-ScoutAuditEvent nav -Timestamp '02/03/2026 10:00' -Path $log } | Should -Throw "*ISO 8601*"
        $log | Should -Not -Exist
    }

    It 'refuses a time in the future beyond a small skew, and one before 2000' {
        { Write-ScoutAuditEvent nav -Timestamp (Get-Date).AddHours(1) -Path $log } | Should -Throw -ErrorId 'InvalidEventField,*'
        { Write-ScoutAuditEvent nav -Timestamp ([datetime]'1999-12-31') -Path $log } | Should -Throw -ErrorId 'InvalidEventField,*'
        Write-ScoutAuditEvent nav -Timestamp (Get-Date).AddMinutes(1) -Path $log
        @(Get-Content $log) | Should -HaveCount 1
    }
}

Describe 'A log copied through the pipeline' {
    BeforeEach {
        $copy = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
    }

    AfterEach {
        Close-ScoutAuditLog -Path $copy
    }

    It 'is byte for byte the interop corpus it was read from (times, extras, config and number forms kept)' {
        $source = Join-Path $fixtures 'model_corpus.jsonl'

        Get-ScoutAuditEvent -Path $source | Write-ScoutAuditEvent -Path $copy
        Close-ScoutAuditLog -Path $copy

        (Get-FileHash $copy).Hash | Should -Be (Get-FileHash $source).Hash
    }

    It 'keeps the extra fields of each event when a field is changed on the way' {
        $source = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
        Write-ScoutAuditEvent nav -Cost 0.5 -Property @{ ticket = 'SCOUT-142' } -Config @{ temperature = 0.2 } -Path $source
        Close-ScoutAuditLog -Path $source

        Get-ScoutAuditEvent -Path $source | Write-ScoutAuditEvent -SessionId moved -Property @{ note = 'copied' } -Path $copy

        $line = Read-Line $copy
        $line.session_id | Should -Be 'moved'
        $line.ticket | Should -Be 'SCOUT-142'
        $line.note | Should -Be 'copied'
        $line.config.temperature | Should -Be 0.2
        $line.ts | Should -Be (Read-Line $source).ts
    }
}

Describe 'Events exported with Export-Csv and read back with Import-Csv' {
    BeforeEach {
        $source = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
        $copy = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
        $csv = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        $when = [datetime]::new(2026, 11, 1, 10, 0, 0, 123, [DateTimeKind]::Utc)
        Write-ScoutAuditEvent nav -Timestamp $when -SessionId 's-1' -Cost 0.000003 -Model 'gpt-4o' -InputTokens 12 -OutputTokens 7 `
            -Files 'a.py', 'b, "c".py', 'ключ.md' -Reason 'why, "quoted"' -Confidence 87.5 -DurationMs 12.25 `
            -Config ([ordered]@{ temperature = 0.2; tags = @('x', 'y'); big = [bigint]::Parse('12345678901234567890123') }) `
            -Property ([ordered]@{ ticket = 'T-1'; attempt = 3; nested = @{ a = $null } }) -Path $source
        Write-ScoutAuditEvent validation_fail -Timestamp $when.AddSeconds(1) -SessionId 's-2' -Property @{ later = $true } -Path $source
        Write-ScoutAuditEvent deep -Timestamp $when.AddSeconds(2) -Files 'only.txt' -Path $source
        Close-ScoutAuditLog -Path $source
    }

    AfterEach {
        Close-ScoutAuditLog -Path $copy
    }

    It 'has one column per field: no second column under an original name, no type names for Files, Config or extras' {
        Get-ScoutAuditEvent -Path $source | Export-Csv $csv

        $header = (Get-Content $csv -TotalCount 1) -replace '"' -split ','
        $header | Should -Contain 'ts'
        foreach ($repeat in 'session_id', 'input_t', 'output_t', 'duration_ms', 'ExtraFieldNames') { $header | Should -Not -Contain $repeat }
        $csvText = Get-Content -Raw $csv
        $csvText | Should -Not -Match 'System\.|@\{'
        $row = (Import-Csv $csv)[0]
        # The line's own JSON form, non-ASCII escaped as the original writes it.
        $row.Files | Should -Be '["a.py", "b, \"c\".py", "\u043a\u043b\u044e\u0447.md"]'
        $row.Config | Should -Be '{"temperature": 0.2, "tags": ["x", "y"], "big": 12345678901234567890123}'
        $row.ExtraFields | Should -Be '{"ticket": "T-1", "attempt": 3, "nested": {"a": null}}'
        $row.ts | Should -Be '2026-11-01T10:00:00.123Z'
        $row.nested | Should -Be '{"a": null}'
    }

    It 'writes the same lines, byte for byte, through Import-Csv | Write-ScoutAuditEvent (extras of later events included)' {
        Get-ScoutAuditEvent -Path $source | Export-Csv $csv

        Import-Csv $csv | Write-ScoutAuditEvent -Path $copy
        Close-ScoutAuditLog -Path $copy

        Get-Content $copy | Should -Be (Get-Content $source)
    }

    It 'takes the exact ts over the Timestamp cell, which Export-Csv writes in the culture''s form to the second' {
        Get-ScoutAuditEvent -Path $source | Export-Csv $csv
        (Import-Csv $csv)[0].Timestamp | Should -Not -Match '\.123'

        Import-Csv $csv | Select-Object -First 1 | Write-ScoutAuditEvent -Path $copy

        Get-Content $copy | Should -Match '^\{"ts": "2026-11-01T10:00:00\.123Z"'
    }

    It 'refuses a row whose ts is not a time as that row''s error, naming -Timestamp and the value' {
        [pscustomobject]@{ Event = 'a'; ts = 'yesterday' }, [pscustomobject]@{ Event = 'b' } |
            Write-ScoutAuditEvent -Path $copy -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEventField,*'
        "$($failures[0])" | Should -BeLike "*parameter 'Timestamp'*'yesterday'*"
        (Read-Line $copy).event | Should -Be 'b'
    }

    It 'refuses, in a culture with a decimal comma, the cells Export-Csv wrote in that form rather than reading them as other numbers' {
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            Get-ScoutAuditEvent -Path $source | Export-Csv $csv
            Import-Csv $csv | Write-ScoutAuditEvent -Path $copy -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally {
            [cultureinfo]::CurrentCulture = $culture
        }

        $failures | Should -HaveCount 1
        "$failures" | Should -Match "parameter '(Confidence|DurationMs)'.*'(87,5|12,25)'"
        (Read-Line $copy).event | Should -Be @('validation_fail', 'deep')
    }
}

Describe 'The properties of a record that no parameter takes' {
    BeforeEach {
        $log = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'writes a CSV column that names no field as an extra field, as the original''s log(**fields) does' {
        "Event,Ticket,Cost`nnav,T-1,0.25`nbrief,T-2,0.5`nskip,,0.75" | ConvertFrom-Csv | Write-ScoutAuditEvent -Path $log

        $lines = Read-Line $log
        $lines.Ticket | Should -Be @('T-1', 'T-2', '') -Because 'an empty cell of a column that names no field is written as it is, an empty string'
        $lines.cost | Should -Be @(0.25, 0.5, 0.75)
    }

    It 'never takes a column named Path or Id as a field, nor lets Path redirect the write' {
        $elsewhere = Join-Path $TestDrive 'elsewhere.jsonl'
        "Event,Path,Id,Note`nnav,$elsewhere,7,kept" | ConvertFrom-Csv | Write-ScoutAuditEvent -Path $log

        $elsewhere | Should -Not -Exist
        $line = Read-Line $log
        $line.PSObject.Properties.Name | Should -Not -Contain 'Path'
        $line.PSObject.Properties.Name | Should -Not -Contain 'Id'
        $line.Note | Should -Be 'kept'
    }

    It 'keeps every field of the original''s lines read with ConvertFrom-Json' {
        # Lines in the original's form with the fields its log(**fields) writes beyond the standard ones.
        $lines = @(
            '{"ts": "2026-11-24T07:22:49.371Z", "event": "tldr", "session_id": "s1", "note": "free text", "attempt": 3, "ratio": 0.75, "ok": true, "tags": ["a", 1, 2.5], "meta": {"k": "v", "n": [1, {"x": 2}]}, "\u65e5\u672c": "\u5024"}'
            '{"ts": "2026-11-24T07:22:50.000Z", "event": "nav", "session_id": "s2", "cost": 0.0125, "model": "m", "input_t": 12, "output_t": 3, "ticket": "SCOUT-142"}'
            '{"ts": "2026-11-24T07:22:51.000Z", "event": "brief", "session_id": "s3"}'
        )

        $lines | ConvertFrom-Json | Write-ScoutAuditEvent -Path $log
        Close-ScoutAuditLog -Path $log

        Get-Content $log | Should -Be $lines -Because 'each line is written as the original wrote it'
        $read = @($lines | ConvertFrom-Json)
        $written = @(Read-Line $log)
        $written | Should -HaveCount $read.Count
        for ($i = 0; $i -lt $read.Count; $i++) {
            $written[$i].PSObject.Properties.Name | Should -Be $read[$i].PSObject.Properties.Name -Because "line $($i + 1) keeps its fields in their order"
        }
    }

    It 'lets -Property replace a record''s field of the same name' {
        [pscustomobject]@{ Event = 'nav'; Ticket = 'from the record'; Team = 'a' } | Write-ScoutAuditEvent -Path $log -Property @{ Ticket = 'given' }

        $line = Read-Line $log
        $line.Ticket | Should -Be 'given'
        $line.Team | Should -Be 'a'
    }

    It 'takes none of the properties of a .NET object: a file piped with -Event given writes the event alone' {
        $file = New-Item -ItemType File -Path (Join-Path $TestDrive "$([guid]::NewGuid()).txt")

        $file | Write-ScoutAuditEvent nav -Path $log

        @((Read-Line $log).PSObject.Properties.Name) | Should -Be @('ts', 'event', 'session_id')
    }

    It 'refuses a row with more columns than an event may have extra fields as that row''s error, and writes the records after it' {
        $header = 'Event,' + ((1..1100 | ForEach-Object { "c$_" }) -join ',')
        $wide = 'wide,' + ((1..1100 | ForEach-Object { 'x' }) -join ',')
        @($header, $wide | ConvertFrom-Csv) + [pscustomobject]@{ Event = 'narrow'; Ticket = 'T-4' } |
            Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'TooManyExtraFields,*'
        @(Read-Line $log).event | Should -Be @('narrow')
    }

    It 'binds no hashtable by its keys, as the help says: cast it to [pscustomobject]' {
        { @{ Event = 'nav'; Ticket = 'T-3' } | Write-ScoutAuditEvent -Path $log -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectMissingMandatory,*'
        [pscustomobject]@{ Event = 'nav'; Ticket = 'T-3' } | Write-ScoutAuditEvent -Path $log

        (Read-Line $log).Ticket | Should -Be 'T-3'
    }

    It 'redacts a secret in a record''s own field, as in -Property' {
        [pscustomobject]@{ Event = 'nav'; password = 'hunter2' } | Write-ScoutAuditEvent -Path $log

        (Read-Line $log).password | Should -Be '[REDACTED]'
    }
}
