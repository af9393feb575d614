import { describe, expect, it } from 'vitest';
import { LESSON_COMPONENT_NAMES } from '@/lib/content/components';
import { lessonComponents } from './index';

describe('lessonComponents', () => {
  it('provides exactly the components the content checker allows', () => {
    expect(Object.keys(lessonComponents('m/l')).sort()).toEqual([...LESSON_COMPONENT_NAMES].sort());
  });
});
