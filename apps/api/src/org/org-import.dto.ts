import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import type { FieldProblem } from '../common/api-error';
import type { CityImportReport } from '../../../../libs/persistence/src/city-import/city-import';
import type { ImportProblem } from '../../../../libs/persistence/src/city-import/city-tables';

/** At most this many files, each a string: a city is a handful of tables. */
const MAX_FILES = 20;

/** True for `{ "<name>.csv|json": "<text>" }` with at most {@link MAX_FILES} entries. */
function isFileMap(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length <= MAX_FILES &&
    Object.entries(value).every(([name, text]) => /^[a-z0-9-]+\.(csv|json|md)$/.test(name) && typeof text === 'string')
  );
}

/** `POST /api/v1/admin/city-import`: a city's files (docs/cities.md) as file name → text. */
export class CityImportDto {
  @ApiProperty({
    description:
      'File name → text, as in a city folder: units.csv, departments.csv, committees.csv, offices.csv, ' +
      'users.csv, calendar-days.csv (or .json), catalogue.json',
    example: { 'units.csv': 'id,kind,name,parent,lat,lng,polygon\ncounty-qingshan,county,青山县,,,,\n' },
  })
  @IsObject()
  @ValidateBy({
    name: 'isFileMap',
    validator: {
      validate: isFileMap,
      defaultMessage: () => `files must map up to ${MAX_FILES} file names (*.csv, *.json) to their text`,
    },
  })
  files: Record<string, string>;

  @ApiPropertyOptional({ description: 'Report what would change and change nothing', default: false })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'Why (recorded on the versions and in the audit log)', example: '青山县上线' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
}

/** One problem of the files in the API's error details: `field` is `<file>:<line>:<column>`, also given apart. */
export interface CityImportProblemView extends FieldProblem {
  file: string;
  line: number;
  column: string;
}

/** The error detail of an import problem. */
export function problemView(problem: ImportProblem): CityImportProblemView {
  return {
    field: `${problem.file}:${problem.line}:${problem.field}`,
    rule: problem.rule,
    message: problem.message,
    file: problem.file,
    line: problem.line,
    column: problem.field,
  };
}

/** What an import changed (or would change). */
export class CityImportView {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'False when the files match what is stored' }) changed: boolean;
  @ApiProperty({ example: 'county-qingshan' }) rootId: string;
  @ApiPropertyOptional({ description: 'The org tree version current after the import' }) orgVersion?: number;
  @ApiProperty({ description: 'Unit ids added, changed and removed' })
  units: CityImportReport['units'];
  @ApiPropertyOptional() catalogue?: CityImportReport['catalogue'];
  @ApiProperty({ description: 'Usernames added and changed' }) users: CityImportReport['users'];
  @ApiProperty({ description: 'Local days added and removed, and the calendar version after' })
  days: CityImportReport['days'];
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ type: [String], description: 'The same, as lines for a person' }) summary: string[];
}
