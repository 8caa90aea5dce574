// A KPI's period: the day a value is for, picked with React Aria's DatePicker (typed segment by
// segment in the manager's own date order, or chosen on a calendar). Its value is the day as
// YYYY-MM-DD, what kpi_data.period holds; '' is no day.
import { parseDate } from '@internationalized/date';
import { CalendarDays, ChevronLeft, ChevronRight } from 'lucide-react';
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  Group,
  Heading,
  Label,
  Popover,
  Text,
} from 'react-aria-components';
import './period-picker.css';

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

interface Props {
  label?: string;
  /** YYYY-MM-DD, or '' for none. */
  value: string;
  onChange: (value: string) => void;
  /** Shown under the field, and marks it invalid. */
  error?: string;
}

export const PeriodPicker = ({ label = 'Period', value, onChange, error }: Props) => (
  <DatePicker
    className="period-picker labelled-field"
    value={isDay(value) ? parseDate(value) : null}
    onChange={(day) => onChange(day ? day.toString() : '')}
    isInvalid={Boolean(error)}
    granularity="day"
  >
    <Label className="period-picker__label">{label}</Label>
    <Group className="period-picker__group">
      <DateInput className="period-picker__input">
        {(segment) => <DateSegment segment={segment} className="period-picker__segment" />}
      </DateInput>
      <Button className="period-picker__button">
        <CalendarDays size={14} aria-hidden="true" />
      </Button>
    </Group>
    {error && (
      <Text slot="errorMessage" className="field-error">
        {error}
      </Text>
    )}
    <Popover className="popover period-picker__popover">
      <Dialog className="popover__dialog">
        <Calendar className="calendar">
          <header className="calendar__header">
            <Button slot="previous" className="button button--small">
              <ChevronLeft size={14} aria-hidden="true" />
            </Button>
            <Heading className="calendar__heading" />
            <Button slot="next" className="button button--small">
              <ChevronRight size={14} aria-hidden="true" />
            </Button>
          </header>
          <CalendarGrid className="calendar__grid">
            {(date) => <CalendarCell date={date} className="calendar__cell" />}
          </CalendarGrid>
        </Calendar>
      </Dialog>
    </Popover>
  </DatePicker>
);
