import { describe, expect, it } from 'vitest';
import {
  dateOfEpochDay,
  easterSunday,
  epochDay,
  GERMAN_STATES,
  plannedDays,
  plannedOpen,
  promo2Schedule,
  promoOn,
  schoolHolidayOn,
  stateHolidayOn,
  stateOfStore,
} from '../../../../systems/sales/records/calendar.js';

const holiday = (state: string, date: string) => stateHolidayOn(state, epochDay(date));
const school = (state: string, date: string) => schoolHolidayOn(state, epochDay(date));

describe('public holidays', () => {
  it('put Easter on the right Sundays', () => {
    // Prepare / Act
    const easters = [2013, 2014, 2015, 2016, 2024].map((year) => dateOfEpochDay(easterSunday(year)));

    // Assess
    expect(easters).toEqual(['2013-03-31', '2014-04-20', '2015-04-05', '2016-03-27', '2024-03-31']);
  });

  it("code every state's days as Rossmann does: a public, b Easter, c Christmas", () => {
    // Prepare / Act / Assess
    for (const state of GERMAN_STATES) {
      expect(holiday(state, '2015-01-01')).toBe('a');
      expect(holiday(state, '2015-04-03')).toBe('b'); // Good Friday
      expect(holiday(state, '2015-04-06')).toBe('b'); // Easter Monday
      expect(holiday(state, '2015-05-01')).toBe('a');
      expect(holiday(state, '2015-05-14')).toBe('a'); // Ascension
      expect(holiday(state, '2015-05-25')).toBe('a'); // Whit Monday
      expect(holiday(state, '2015-10-03')).toBe('a');
      expect(holiday(state, '2014-12-25')).toBe('c');
      expect(holiday(state, '2014-12-26')).toBe('c');
      expect(holiday(state, '2015-07-31')).toBe('0');
    }
  });

  it('keep state holidays to their states', () => {
    // Prepare / Act / Assess
    expect(holiday('NW', '2015-06-04')).toBe('a'); // Corpus Christi
    expect(holiday('BE', '2015-06-04')).toBe('0');
    expect(holiday('BY', '2015-01-06')).toBe('a'); // Epiphany
    expect(holiday('HH', '2015-01-06')).toBe('0');
    expect(holiday('SN', '2014-11-19')).toBe('a'); // Day of Repentance, a Wednesday
    expect(holiday('TH', '2014-10-31')).toBe('a'); // Reformation Day in the east
    expect(holiday('NW', '2014-10-31')).toBe('0');
    expect(holiday('NW', '2017-10-31')).toBe('a'); // everywhere in 2017
    expect(holiday('NI', '2018-10-31')).toBe('a'); // and in the north since 2018
  });
});

describe('school holidays', () => {
  it('cover Christmas to Epiphany in every state', () => {
    // Prepare / Act / Assess
    for (const state of GERMAN_STATES) {
      expect(school(state, '2014-12-29')).toBe(1);
      expect(school(state, '2015-01-02')).toBe(1);
      expect(school(state, '2015-01-20')).toBe(0);
    }
  });

  it('give every state about six weeks of summer, not all at once', () => {
    // Prepare
    const summer = (state: string) => {
      const days = plannedDays({ storeType: 'a', state }, '2014-06-01', 120).filter((d) => d.schoolHoliday);
      return { first: days[0]?.date, count: days.length };
    };

    // Act
    const summers = GERMAN_STATES.map(summer);

    // Assess
    for (const { count } of summers) {
      expect(count).toBeGreaterThanOrEqual(42);
      expect(count).toBeLessThanOrEqual(60);
    }
    expect(new Set(summers.map((s) => s.first)).size).toBeGreaterThan(3);
  });
});

describe('promotions', () => {
  it('run Promo Monday to Friday every other week, in every store alike', () => {
    // Prepare
    const days = Array.from({ length: 21 }, (_, i) => epochDay('2015-07-27') + i);

    // Act
    const promo = days.map(promoOn).join('');

    // Assess
    expect(promo).toBe('111110000000001111100');
  });

  it('run Promo2 in its interval months once it has started', () => {
    // Prepare
    const rounds = promo2Schedule({
      promo2: true,
      promo2Since: '2010-03-29',
      promoInterval: 'Mar,Jun,Sept,Dec',
    });
    const never = promo2Schedule({ promo2: false, promo2Since: null, promoInterval: null });

    // Act / Assess
    expect(rounds(epochDay('2014-09-15'))).toBe(true);
    expect(rounds(epochDay('2014-10-15'))).toBe(false);
    expect(rounds(epochDay('2009-09-15'))).toBe(false);
    expect(never(epochDay('2014-09-15'))).toBe(false);
  });
});

describe('opening', () => {
  it('closes ordinary stores on Sundays and holidays; type b stores only at Easter and Christmas', () => {
    // Prepare / Act / Assess
    expect(plannedOpen('a', 7, '0')).toBe(0);
    expect(plannedOpen('c', 3, 'a')).toBe(0);
    expect(plannedOpen('d', 6, '0')).toBe(1);
    expect(plannedOpen('b', 7, '0')).toBe(1);
    expect(plannedOpen('b', 3, 'a')).toBe(1);
    expect(plannedOpen('b', 5, 'b')).toBe(0);
    expect(plannedOpen('b', 4, 'c')).toBe(0);
  });

  it('plans days ahead with weekday, opening, promotion and holidays', () => {
    // Prepare
    const profile = { storeType: 'a' as const, state: 'NW' };

    // Act
    const days = plannedDays(profile, '2015-12-24', 4);

    // Assess
    expect(days).toEqual([
      {
        date: '2015-12-24',
        dayOfWeek: 4,
        open: 1,
        promo: promoOn(epochDay('2015-12-24')),
        stateHoliday: '0',
        schoolHoliday: 1,
      },
      {
        date: '2015-12-25',
        dayOfWeek: 5,
        open: 0,
        promo: promoOn(epochDay('2015-12-25')),
        stateHoliday: 'c',
        schoolHoliday: 1,
      },
      { date: '2015-12-26', dayOfWeek: 6, open: 0, promo: 0, stateHoliday: 'c', schoolHoliday: 1 },
      { date: '2015-12-27', dayOfWeek: 7, open: 0, promo: 0, stateHoliday: '0', schoolHoliday: 1 },
    ]);
  });
});

describe('stateOfStore', () => {
  it('gives every store number one German state, the same every time, spread like Rossmann’s stores', () => {
    // Prepare
    const stores = Array.from({ length: 1115 }, (_, i) => i + 1);

    // Act
    const states = stores.map(stateOfStore);
    const nw = states.filter((s) => s === 'NW').length;

    // Assess
    expect(stores.map(stateOfStore)).toEqual(states);
    expect(states.every((s) => (GERMAN_STATES as readonly string[]).includes(s))).toBe(true);
    expect(new Set(states).size).toBe(12);
    expect(nw / 1115).toBeGreaterThan(0.18);
    expect(nw / 1115).toBeLessThan(0.28);
  });
});
